import {
  AmiAuthenticationError,
  type AmiClient,
  AmiConnectionError,
  AmiDisconnectedError,
  type AmiDisconnectInfo,
  type AmiError,
  type AmiEvent,
  AmiProtocolError,
} from '../../../lib/client.js';
import type { FakeAmiServer } from '../../../lib/testing/index.js';
import { Harness, nextEvent, rejectionOf, sleep, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

const FAST_RECONNECT = { initialDelay: 10, maxDelay: 40, jitter: 0 };

/** Drops the client's connection; resolves once the client announces its first reconnection attempt. */
async function dropAndAwaitReconnecting(server: FakeAmiServer, client: AmiClient): Promise<void> {
  const reconnecting = nextEvent(client, 'reconnecting');
  server.dropConnections();
  await reconnecting;
}

describe('AmiClient: losing the connection', () => {
  it('a close mid-frame: pending actions reject, the client reconnects, events flow again', async () => {
    const server = await harness.server();
    server.onAction('Hang', () => undefined); // never answered
    const client = harness.client(server, { reconnect: FAST_RECONNECT });
    await client.connect();
    const events: AmiEvent[] = [];
    client.onEvent('*', (event) => {
      events.push(event);
    });
    const pending = [client.send({ Action: 'Hang' }), client.send({ Action: 'Hang' })];
    await server.waitForAction('Hang', { count: 2 });
    const disconnected = nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    server.dropConnections({ midFrame: true });
    for (const result of pending) {
      const error = await rejectionOf(result);
      expect(error).toBeInstanceOf(AmiDisconnectedError);
      expect((error as AmiDisconnectedError).action).toBe('Hang');
    }
    expect(await disconnected).toMatchObject({ reason: 'closed', willReconnect: true });
    expect(client.pendingActionCount).toBe(0);
    await nextEvent(client, 'login');
    expect(server.loginCount).toBe(2);
    expect(server.emitEvent({ Event: 'UserEvent', Privilege: 'user,all', UserEvent: 'after' })).toBe(1);
    await waitUntil(() => events.some((event) => event.Event === 'UserEvent'));
    // The half frame (a Newchannel) left by the old connection never surfaces as an event.
    expect(events.map((event) => event.Event)).toEqual(['FullyBooted', 'UserEvent']);
    expect(events[1].UserEvent).toBe('after');
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('a half-open peer: unanswered pings are detected, the client reconnects', async () => {
    const server = await harness.server();
    const client = harness.client(server, {
      reconnect: FAST_RECONNECT,
      keepAlive: { interval: 50, maxMissed: 2 },
    });
    const errors: AmiError[] = [];
    client.on('error', (error) => errors.push(error));
    await client.connect();
    await server.waitForAction('Ping'); // keepalive is running and answered
    server.stopAnswering();
    const info = await nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    expect(info).toMatchObject({ reason: 'keepalive', willReconnect: true });
    expect(info.error).toBeInstanceOf(AmiConnectionError);
    expect(errors.some((error) => error instanceof AmiConnectionError && /pings/.test(error.message))).toBe(
      true,
    );
    server.resumeAnswering();
    await nextEvent(client, 'login');
    expect(client.state).toBe('connected');
    // The first connection was closed by the client, not left open.
    await waitUntil(() => server.connections.length === 1);
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('an oversized frame: AmiProtocolError and the connection is closed', async () => {
    const server = await harness.server();
    const client = harness.client(server, { maxFrameSize: 64 * 1024 });
    const errors: AmiError[] = [];
    client.on('error', (error) => errors.push(error));
    await client.connect();
    const pending = client.send({ Action: 'Ping' }, { timeout: 5_000 });
    server.holdOutput(); // the Ping's answer never leaves
    const disconnected = nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    server.sendRaw(`Event: Huge\r\nData: ${'x'.repeat(200 * 1024)}\r\n\r\n`);
    const info = await disconnected;
    expect(info.reason).toBe('protocol');
    expect(info.error).toBeInstanceOf(AmiProtocolError);
    expect(errors.some((error) => error instanceof AmiProtocolError)).toBe(true);
    expect(await rejectionOf(pending)).toBeInstanceOf(AmiDisconnectedError);
    await server.waitForNoConnections();
    expect(client.state).toBe('disconnected');
  });

  it('an endless frame: refused once past maxFrameSize, before it ends', async () => {
    const server = await harness.server();
    const client = harness.client(server, { maxFrameSize: 16 * 1024 });
    await client.connect();
    const disconnected = nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    server.sendRaw('Event: Endless\r\n');
    for (let line = 0; line < 200; line++) server.sendRaw(`Line${line}: ${'y'.repeat(200)}\r\n`);
    expect((await disconnected).reason).toBe('protocol');
    await server.waitForNoConnections();
  });

  it('a Shutdown event then a close counts as a loss: the client reconnects', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: FAST_RECONNECT });
    await client.connect();
    const disconnected = nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    server.emitEvent({ Event: 'Shutdown', Privilege: 'system,all', Shutdown: 'Cleanly', Restart: 'True' });
    await sleep(20);
    server.dropConnections();
    expect(await disconnected).toMatchObject({ reason: 'shutdown', willReconnect: true });
    await server.waitForLogins(2);
    await waitUntil(() => client.state === 'connected');
  });

  it('a Logoff sent by the user (Goodbye) stops reconnection', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: FAST_RECONNECT });
    await client.connect();
    const disconnected = nextEvent<AmiDisconnectInfo>(client, 'disconnect');
    expect((await client.send({ Action: 'Logoff' })).Response).toBe('Goodbye');
    expect(await disconnected).toMatchObject({ reason: 'logoff', willReconnect: false });
    await sleep(100);
    expect(server.connectionCount).toBe(1);
    expect(client.state).toBe('disconnected');
  });
});

describe('AmiClient: disconnect() and destroy()', () => {
  it('disconnect() sends Logoff, waits for the close, and stops reconnecting', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: FAST_RECONNECT });
    await client.connect();
    const infos: AmiDisconnectInfo[] = [];
    client.on('disconnect', (info) => infos.push(info));
    await client.disconnect();
    expect(server.actions.map((action) => action.name)).toEqual(['Login', 'Logoff']);
    expect(infos).toEqual([{ reason: 'logoff', error: undefined, willReconnect: false }]);
    expect(client.state).toBe('disconnected');
    await server.waitForNoConnections();
    await sleep(100);
    expect(server.connectionCount).toBe(1);
    expect(await rejectionOf(client.send({ Action: 'Ping' }))).toBeInstanceOf(AmiDisconnectedError);
  });

  it('disconnect() rejects pending actions with AmiDisconnectedError', async () => {
    const server = await harness.server();
    server.onAction('Hang', () => undefined);
    const client = harness.client(server);
    await client.connect();
    const pending = client.send({ Action: 'Hang' });
    await server.waitForAction('Hang');
    await client.disconnect();
    expect(await rejectionOf(pending)).toBeInstanceOf(AmiDisconnectedError);
    expect(client.pendingActionCount).toBe(0);
  });

  it('disconnect() during a reconnection wait cancels it', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: { initialDelay: 5_000, jitter: 0 } });
    await client.connect();
    await dropAndAwaitReconnecting(server, client);
    await client.disconnect();
    expect(client.state).toBe('disconnected');
    expect(client.willReconnect).toBe(false);
    expect(server.connectionCount).toBe(1);
  });

  it('destroy() closes at once without Logoff, emits disconnect once, and stops reconnecting', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: FAST_RECONNECT });
    await client.connect();
    const infos: AmiDisconnectInfo[] = [];
    client.on('disconnect', (info) => infos.push(info));
    client.destroy();
    expect(client.state).toBe('disconnected');
    await server.waitForNoConnections();
    await sleep(100);
    expect(infos).toEqual([{ reason: 'destroyed', error: undefined, willReconnect: false }]);
    expect(server.actions.map((action) => action.name)).toEqual(['Login']);
    expect(server.connectionCount).toBe(1);
  });

  it('connect() called during a reconnection shares its outcome, failure included', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: { initialDelay: 50, jitter: 0 } });
    await client.connect();
    server.update({ users: { admin: 'rotated' } });
    await dropAndAwaitReconnecting(server, client);
    const error = await rejectionOf(client.connect());
    expect(error).toBeInstanceOf(AmiAuthenticationError);
    expect(client.state).toBe('disconnected');
  });

  it('connect() called during a reconnection resolves once logged in again', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: { initialDelay: 50, jitter: 0 } });
    await client.connect();
    await dropAndAwaitReconnecting(server, client);
    await client.connect();
    expect(client.state).toBe('connected');
    expect(server.loginCount).toBe(2);
  });

  it('connect() after disconnect() logs in again', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    await client.disconnect();
    await client.connect();
    expect(client.state).toBe('connected');
    expect(server.loginCount).toBe(2);
  });
});

describe('AmiClient: actions while disconnected', () => {
  it('rejects at once with AmiDisconnectedError when never connected', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    const error = await rejectionOf(client.send({ Action: 'Ping' }));
    expect(error).toBeInstanceOf(AmiDisconnectedError);
    expect(error.message).toMatch(/not connected/);
    expect(server.connectionCount).toBe(0);
  });

  it('rejects at once while reconnecting, without waitForConnection', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: { initialDelay: 5_000, jitter: 0 } });
    await client.connect();
    await dropAndAwaitReconnecting(server, client);
    expect(await rejectionOf(client.send({ Action: 'Ping' }))).toBeInstanceOf(AmiDisconnectedError);
  });

  it('with waitForConnection, waits for the reconnection and is then sent', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: FAST_RECONNECT });
    await client.connect();
    server.update({ closeOnAccept: true }); // the server is "down" for a while
    await dropAndAwaitReconnecting(server, client);
    const ping = client.send({ Action: 'Ping' }, { waitForConnection: 10_000 });
    await server.waitForConnections(3);
    server.update({ closeOnAccept: false });
    expect((await ping).Ping).toBe('Pong');
    expect(server.actions.filter((action) => action.name === 'Ping')).toHaveLength(1);
  });

  it('with waitForConnection, gives up after the bound with AmiDisconnectedError', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: FAST_RECONNECT, waitForConnection: 150 });
    await client.connect();
    server.update({ closeOnAccept: true });
    await dropAndAwaitReconnecting(server, client);
    const error = await rejectionOf(client.send({ Action: 'Ping' }));
    expect(error).toBeInstanceOf(AmiDisconnectedError);
    expect(error.message).toMatch(/within 150 ms/);
    expect(server.actions.filter((action) => action.name === 'Ping')).toHaveLength(0);
  });

  it('waiting actions reject at once when disconnect() is called', async () => {
    const server = await harness.server();
    const client = harness.client(server, { reconnect: { initialDelay: 5_000, jitter: 0 } });
    await client.connect();
    await dropAndAwaitReconnecting(server, client);
    const ping = client.send({ Action: 'Ping' }, { waitForConnection: 60_000 });
    await client.disconnect();
    expect(await rejectionOf(ping)).toBeInstanceOf(AmiDisconnectedError);
  });
});
