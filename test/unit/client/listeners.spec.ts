import type { AmiEvent } from '../../../lib/client.js';
import { CapturingLogger, Harness, sleep, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

const userEvent = (value: string) => ({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: value });

describe('AmiClient: event listeners', () => {
  it('a listener that throws breaks neither the stream nor the other listeners', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger });
    await client.connect();
    const byName: string[] = [];
    const byStar: string[] = [];
    client.onEvent('UserEvent', () => {
      throw new Error('listener bug');
    });
    client.onEvent('UserEvent', (event) => {
      byName.push(String(event.UserEvent));
    });
    client.onEvent('*', (event) => {
      if (event.Event === 'UserEvent') byStar.push(String(event.UserEvent));
    });
    server.emitEvent(userEvent('one'));
    server.emitEvent(userEvent('two'));
    await waitUntil(() => byStar.length === 2);
    expect(byName).toEqual(['one', 'two']);
    expect(byStar).toEqual(['one', 'two']);
    expect(logger.lines.filter((line) => line.includes('listener bug'))).toHaveLength(2);
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
    expect(client.state).toBe('connected');
  });

  it("a '*' listener that throws does not stop the next '*' listener", async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger });
    await client.connect();
    const seen: string[] = [];
    client.onEvent('*', () => {
      throw new Error('first listener bug');
    });
    client.onEvent('*', (event) => {
      if (event.Event === 'UserEvent') seen.push(String(event.UserEvent));
    });
    server.emitEvent(userEvent('one'));
    server.emitEvent(userEvent('two'));
    await waitUntil(() => seen.length === 2);
    expect(seen).toEqual(['one', 'two']);
    expect(logger.text).toContain('first listener bug');
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('lifecycle listeners that throw or reject neither crash the process nor stop the login', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger });
    const reached: string[] = [];
    for (const name of ['connect', 'login', 'stateChange'] as const) {
      client.on(name, () => {
        throw new Error(`${name} listener bug`);
      });
      client.on(name, () => {
        reached.push(name);
      });
    }
    client.on('login', async () => {
      throw new Error('async login listener bug');
    });
    await client.connect();
    // The async listener's rejection is reported when it settles: wait for that report.
    await waitUntil(() => logger.text.includes('async login listener bug'));
    expect(client.state).toBe('connected');
    expect(reached).toEqual(expect.arrayContaining(['connect', 'login', 'stateChange']));
    expect(logger.text).toContain('connect listener bug');
    expect(logger.text).toContain('login listener bug');
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('a listener that rejects is reported and the others keep receiving', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger });
    await client.connect();
    const seen: string[] = [];
    client.onEvent('UserEvent', async () => {
      await sleep(1);
      throw new Error('async listener bug');
    });
    client.onEvent('*', async () => {
      throw new Error('async event listener bug');
    });
    client.onEvent('UserEvent', (event) => {
      seen.push(String(event.UserEvent));
    });
    server.emitEvent(userEvent('one'));
    server.emitEvent(userEvent('two'));
    await waitUntil(() => seen.length === 2);
    await waitUntil(() => logger.lines.filter((line) => line.includes('async listener bug')).length === 2);
    await waitUntil(
      () => logger.lines.filter((line) => line.includes('async event listener bug')).length === 2,
    );
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('a slow async listener does not delay responses', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    let running = 0;
    let finished = 0;
    // The listeners stay busy until the test releases them, however slowly the run goes: the Ping's
    // answer must come while all ten are still at work.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    client.onEvent('UserEvent', async () => {
      running += 1;
      await released;
      running -= 1;
      finished += 1;
    });
    for (let index = 0; index < 10; index++) server.emitEvent(userEvent(String(index)));
    await waitUntil(() => running === 10);
    const pong = await client.send({ Action: 'Ping' });
    expect(pong.Ping).toBe('Pong');
    expect(finished).toBe(0);
    release();
    await waitUntil(() => finished === 10);
  });

  it('unsubscribing stops delivery, and the context tells action events from unsolicited ones', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const seen: [string, boolean][] = [];
    const off = client.onEvent('*', (event: AmiEvent, context) => {
      seen.push([event.Event, context.fromAction]);
    });
    await client.sendList({ Action: 'CoreShowChannels' });
    server.emitEvent(userEvent('x'));
    await waitUntil(() => seen.some(([name]) => name === 'UserEvent'));
    off();
    server.emitEvent(userEvent('after'));
    await client.send({ Action: 'Ping' });
    expect(seen).toEqual([
      ['CoreShowChannelsComplete', true],
      ['UserEvent', false],
    ]);
  });
});
