import { eventNameFilter } from '../../../lib/client/filters/filter-actions.js';
import {
  AmiClient,
  type AmiEvent,
  AmiInvalidActionError,
  AmiInvalidEventFilterError,
} from '../../../lib/client.js';
import type { FakeAmiAction } from '../../../lib/testing/index.js';
import { CapturingLogger, Harness, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

/** Every action the server received, in order, as `Action` plus the headers that matter here. */
function recordActions(server: { on(event: 'action', listener: (action: FakeAmiAction) => void): unknown }) {
  const seen: string[] = [];
  server.on('action', (action) => {
    const detail = action.get('Filter') ?? action.get('EventMask') ?? action.get('Events') ?? '';
    seen.push(`${action.name} ${detail}`.trim());
  });
  return seen;
}

describe('AmiClient eventFilter', () => {
  it.each([[['New channel']], [['Hangup', 'a\r\nAction: Command']], [['.*']], [['']], [[42]]])(
    'refuses %j with AmiInvalidEventFilterError before any socket opens',
    (include) => {
      const build = () =>
        new AmiClient({ username: 'u', secret: 's', port: 1, eventFilter: { include: include as string[] } });
      expect(build).toThrow(AmiInvalidEventFilterError);
      expect(build).toThrow(AmiInvalidActionError);
    },
  );

  it('refuses an include that is no list', () => {
    const eventFilter = { include: 'Hangup' } as unknown as { include: string[] };
    expect(() => new AmiClient({ username: 'u', secret: 's', eventFilter })).toThrow(
      AmiInvalidEventFilterError,
    );
  });

  it('writes one anchored, case-insensitive Filter per name', () => {
    expect(eventNameFilter('Hangup')).toEqual({
      Action: 'Filter',
      Operation: 'Add',
      Filter: '^Event: [Hh][Aa][Nn][Gg][Uu][Pp][[:space:]]',
    });
    expect(eventNameFilter('Agent_1-x').Filter).toBe('^Event: [Aa][Gg][Ee][Nn][Tt]_1-[Xx][[:space:]]');
  });

  it('logs in with events off, adds the filters, then switches events on, before login is told; delivers only the included', async () => {
    const server = await harness.server();
    const seen = recordActions(server);
    const client = harness.client(server, { eventFilter: { include: ['Hangup', 'hangup', 'UserEvent'] } });
    const atLogin: string[] = [];
    client.on('login', () => atLogin.push(...seen));
    const delivered: string[] = [];
    client.onEvent('*', (event: AmiEvent) => {
      delivered.push(event.Event);
    });
    await client.connect();
    expect(atLogin).toEqual([
      'Login off',
      `Filter ${eventNameFilter('Hangup').Filter}`,
      `Filter ${eventNameFilter('UserEvent').Filter}`,
      `Filter ActionID: ${client.actionIdStem}`,
      'Events on',
    ]);
    server.emitEvent({ Event: 'Newexten', Privilege: 'dialplan,all' });
    server.emitEvent({ Event: 'HANGUP', Privilege: 'call,all' });
    server.emitEvent({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'Hangup' });
    await waitUntil(() => delivered.length === 2);
    expect(delivered).toEqual(['HANGUP', 'UserEvent']);
  });

  it('a refused Filter: one warning across logins, the session goes on, events are dropped here', async () => {
    const server = await harness.server();
    server.onAction('Filter', () => ({ Response: 'Error', Message: 'Permission denied' }));
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger, eventFilter: { include: ['Hangup'] } });
    const delivered: string[] = [];
    client.onEvent('*', (event: AmiEvent) => {
      delivered.push(event.Event);
    });
    await client.connect();
    await client.disconnect();
    await client.connect();
    server.emitEvent({ Event: 'Newexten', Privilege: 'dialplan,all' });
    server.emitEvent({ Event: 'Hangup', Privilege: 'call,all' });
    await waitUntil(() => delivered.length === 1);
    expect(delivered).toEqual(['Hangup']);
    expect(logger.lines.filter((line) => line.includes('refused the event Filter'))).toHaveLength(1);
  });

  it('a function is asked at each login; with "*" no filter at all', async () => {
    const server = await harness.server();
    const seen = recordActions(server);
    let names: string[] = ['Hangup'];
    const client = harness.client(server, { eventFilter: { include: () => names } });
    await client.connect();
    await client.disconnect();
    names = ['*'];
    seen.length = 0;
    await client.connect();
    expect(seen).toEqual(['Login on']);
    const delivered: string[] = [];
    client.onEvent('*', (event: AmiEvent) => {
      delivered.push(event.Event);
    });
    server.emitEvent({ Event: 'Newexten', Privilege: 'dialplan,all' });
    await waitUntil(() => delivered.length === 1);
  });
});
