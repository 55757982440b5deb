import type { AmiEvent, AmiEventContext } from '../../../lib/client.js';
import type { FakeAmiServer } from '../../../lib/testing/index.js';
import { Harness, rejectionOf, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

/**
 * A UserEvent as Asterisk 22 builds it from another session's `Action: UserEvent`: its own `Event` and
 * `Privilege` first, then every header the sender wrote, the sender's ActionID among them.
 */
function foreignUserEvent(actionId: string, headers: string): string {
  return `Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Boom\r\nActionID: ${actionId}\r\n${headers}\r\n`;
}

type Seen = [AmiEvent, AmiEventContext];

function record(client: {
  onEvent(name: '*', listener: (e: AmiEvent, c: AmiEventContext) => void): unknown;
}) {
  const seen: Seen[] = [];
  client.onEvent('*', (event, context) => {
    seen.push([event, context]);
  });
  return seen;
}

/** Leaves `name` unanswered so the test writes the answers itself. */
async function silent(server: FakeAmiServer, name: string) {
  server.onAction(name, () => undefined);
}

describe('AmiClient: ActionIDs of their own', () => {
  it('are <prefix><8 base-36 characters drawn once per client>-<base-36 counter>', async () => {
    const server = await harness.server();
    const first = harness.client(server, { actionIdPrefix: 'crm-' });
    const second = harness.client(server, { actionIdPrefix: 'crm-' });
    await first.connect();
    await second.connect();
    for (let i = 0; i < 40; i++) await first.send({ Action: 'Ping' });
    await second.send({ Action: 'Ping' });
    const ids = (connection: number) =>
      server.actions
        .filter((action) => action.connectionId === connection)
        .map((action) => action.actionId as string);
    const [a, b] = server.connections.map((connection) => ids(connection.id));
    const shape = /^crm-([0-9a-z]{8})-([0-9a-z]+)$/;
    for (const id of [...a, ...b]) expect(id).toMatch(shape);
    const tag = (id: string) => (shape.exec(id) as RegExpExecArray)[1];
    expect(new Set(a.map(tag)).size).toBe(1);
    expect(new Set(b.map(tag)).size).toBe(1);
    expect(tag(a[0])).not.toBe(tag(b[0]));
    // Login is 1, the 40 Pings follow: the counter is base 36.
    expect(a.map((id) => (shape.exec(id) as RegExpExecArray)[2])).toEqual(
      Array.from({ length: 41 }, (_, index) => (index + 1).toString(36)),
    );
  });
});

describe('AmiClient: an event answers an action only when that action takes it', () => {
  it('a crafted UserEvent with our ActionID neither ends nor fails our list, and is no list item', async () => {
    const server = await harness.server();
    await silent(server, 'HeldList');
    const client = harness.client(server);
    await client.connect();
    const seen = record(client);
    const list = client.sendList({ Action: 'HeldList' });
    const action = await server.waitForAction('HeldList');
    const id = action.actionId as string;
    const crafted = foreignUserEvent(
      id,
      'Event: ItemsComplete\r\nEventList: Complete\r\nResponse: Error\r\nMessage: crafted\r\n',
    );
    server.sendRaw(
      crafted +
        `Response: Success\r\nActionID: ${id}\r\nEventList: start\r\nMessage: Items will follow\r\n\r\n` +
        crafted +
        `Event: Item\r\nActionID: ${id}\r\nN: 1\r\n\r\n` +
        crafted +
        `Event: ItemsComplete\r\nActionID: ${id}\r\nEventList: Complete\r\nListItems: 1\r\n\r\n`,
    );
    const result = await list;
    expect(result.events.map((event) => event.N)).toEqual(['1']);
    expect(result.complete).toMatchObject({ Event: 'ItemsComplete', ListItems: '1' });
    await waitUntil(() => seen.length === 5);
    expect(seen.map(([event, context]) => [event.Event, context])).toEqual([
      ['UserEvent', { fromAction: false }],
      ['UserEvent', { fromAction: false }],
      ['Item', { fromAction: true, actionId: id }],
      ['UserEvent', { fromAction: false }],
      ['ItemsComplete', { fromAction: true, actionId: id }],
    ]);
  });

  it('a UserEvent carrying `Response: Error` and our ActionID does not fail our action', async () => {
    const server = await harness.server();
    await silent(server, 'Held');
    const client = harness.client(server);
    await client.connect();
    const answer = client.send({ Action: 'Held' });
    const id = (await server.waitForAction('Held')).actionId as string;
    server.sendRaw(foreignUserEvent(id, 'Response: Error\r\nMessage: crafted\r\n'));
    server.sendRaw(`Response: Success\r\nActionID: ${id}\r\nMessage: real\r\n\r\n`);
    expect((await answer).Message).toBe('real');
  });

  it('an Originate settles only by its own OriginateResponse, not one inside a UserEvent', async () => {
    const server = await harness.server();
    await silent(server, 'Originate');
    const client = harness.client(server);
    await client.connect();
    const seen = record(client);
    const call = client.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '1' });
    const id = (await server.waitForAction('Originate')).actionId as string;
    server.sendRaw(
      foreignUserEvent(id, 'Event: OriginateResponse\r\nResponse: Failure\r\nReason: 0\r\n') +
        `Event: Newchannel\r\nPrivilege: call,all\r\nActionID: ${id}\r\nChannel: Local/100@test-1;1\r\n\r\n` +
        `Response: Success\r\nActionID: ${id}\r\nMessage: Originate successfully queued\r\n\r\n` +
        `Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: ${id}\r\nResponse: Success\r\n` +
        'Channel: Local/100@test-1;1\r\nReason: 4\r\n\r\n',
    );
    expect(await call).toMatchObject({ Event: 'OriginateResponse', Response: 'Success', Reason: '4' });
    await waitUntil(() => seen.length === 3);
    expect(seen.map(([event, context]) => [event.Event, context.fromAction])).toEqual([
      ['UserEvent', false],
      ['Newchannel', false],
      ['OriginateResponse', true],
    ]);
  });

  it('an OriginateResponse answering another session is not ours: fromAction false, nothing settles', async () => {
    const server = await harness.server();
    await silent(server, 'Originate');
    const client = harness.client(server);
    await client.connect();
    const seen = record(client);
    const call = client.originate(
      { Channel: 'Local/100@test', Application: 'Wait', Data: '1' },
      { timeout: 400 },
    );
    await server.waitForAction('Originate');
    server.emitEvent({
      Event: 'OriginateResponse',
      Privilege: 'call,all',
      ActionID: 'other-client-1',
      Response: 'Success',
      Reason: 4,
    });
    await waitUntil(() => seen.length === 1);
    expect(seen[0][1]).toEqual({ fromAction: false });
    expect((await rejectionOf(call)).name).toBe('AmiTimeoutError');
  });
});
