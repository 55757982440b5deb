import {
  AmiActionError,
  AmiAuthenticationError,
  AmiConnectionError,
  AmiError,
  AmiInvalidActionError,
  AmiProtocolError,
  type AmiReconnectingInfo,
  AmiTimeoutError,
} from '../../../lib/client.js';
import { FakeAmiServer } from '../../../lib/testing/index.js';
import { CapturingLogger, Harness, rejectionOf, sleep } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

/** Fast reconnection, so a wrongly retried failure would show up as extra connections. */
const FAST_RECONNECT = { initialDelay: 10, maxDelay: 20, jitter: 0 };

/** A port with nothing listening: a server's, once closed. */
async function closedPort(): Promise<number> {
  const server = await FakeAmiServer.start();
  const port = server.port;
  await server.close();
  return port;
}

describe('AmiClient: connecting to something that is not a working AMI', () => {
  it.each([
    ['an SSH server', 'SSH-2.0-OpenSSH_9.6p1\r\n'],
    ['an HTTP server', 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'],
    ['binary garbage without a line end', Buffer.alloc(4096, 0xfe)],
  ])('%s: AmiProtocolError, and no reconnect loop even with retry', async (_what, banner) => {
    const server = await harness.server({ banner });
    const client = harness.client(server, { reconnect: FAST_RECONNECT });
    const reconnecting: AmiReconnectingInfo[] = [];
    client.on('reconnecting', (info) => reconnecting.push(info));
    const error = await rejectionOf(client.connect({ retry: true }));
    expect(error).toBeInstanceOf(AmiProtocolError);
    expect(error.message).toMatch(/not an AMI server/);
    await sleep(200);
    expect(server.connectionCount).toBe(1);
    expect(reconnecting).toEqual([]);
    expect(client.state).toBe('disconnected');
    expect(client.willReconnect).toBe(false);
    await server.waitForNoConnections();
  });

  it('a silent server (accepts, never sends a banner): a typed error after connectTimeout', async () => {
    const server = await harness.server({ banner: null });
    const client = harness.client(server, { connectTimeout: 300 });
    const error = await rejectionOf(client.connect());
    expect(error).toBeInstanceOf(AmiProtocolError);
    expect(error.message).toMatch(/no AMI banner .* within 300 ms/);
    expect(client.state).toBe('disconnected');
    await server.waitForNoConnections();
  });

  it('a refused port: AmiConnectionError with the socket error code', async () => {
    const port = await closedPort();
    const client = harness.client(port);
    const error = await rejectionOf(client.connect());
    expect(error).toBeInstanceOf(AmiConnectionError);
    expect((error as AmiConnectionError).code).toBe('ECONNREFUSED');
    expect(client.state).toBe('disconnected');
  });

  it('a refused port with retry: bounded attempts with reconnecting events, then the last error', async () => {
    const port = await closedPort();
    const client = harness.client(port, { reconnect: { ...FAST_RECONNECT, maxAttempts: 2 } });
    const reconnecting: AmiReconnectingInfo[] = [];
    client.on('reconnecting', (info) => reconnecting.push(info));
    const error = await rejectionOf(client.connect({ retry: true }));
    expect(error).toBeInstanceOf(AmiConnectionError);
    // connect()'s own try, then maxAttempts reconnection attempts numbered from 1.
    expect(reconnecting.map((info) => info.attempt)).toEqual([1, 2]);
    expect(reconnecting.map((info) => info.delay)).toEqual([10, 20]);
    expect(reconnecting.every((info) => info.error instanceof AmiConnectionError)).toBe(true);
    expect(client.state).toBe('disconnected');
  });

  it('a server that accepts then closes at once: AmiConnectionError', async () => {
    const server = await harness.server({ closeOnAccept: true });
    const client = harness.client(server);
    const error = await rejectionOf(client.connect());
    expect(error).toBeInstanceOf(AmiConnectionError);
    expect(error.message).toMatch(/before the AMI banner/);
  });

  it('a server that stops answering during login: a typed error after loginTimeout', async () => {
    const server = await harness.server();
    server.stopAnswering();
    const client = harness.client(server, { loginTimeout: 200 });
    const error = await rejectionOf(client.connect());
    expect(error).toBeInstanceOf(AmiConnectionError);
    expect(error.message).toMatch(/login within 200 ms/);
    expect(error.cause).toBeInstanceOf(AmiTimeoutError);
    await server.waitForNoConnections();
  });
});

describe('AmiClient: credentials', () => {
  it('refused credentials: AmiAuthenticationError after one Login, never retried', async () => {
    const server = await harness.server({ users: { admin: 'right' } });
    const client = harness.client(server, { secret: 'wrong-secret-value', reconnect: FAST_RECONNECT });
    const reconnecting: AmiReconnectingInfo[] = [];
    client.on('reconnecting', (info) => reconnecting.push(info));
    const error = await rejectionOf(client.connect({ retry: true }));
    expect(error).toBeInstanceOf(AmiAuthenticationError);
    expect(error.message).toMatch(/Authentication failed/);
    expect(error.message).not.toContain('wrong-secret-value');
    // The refusal it wraps is kept, as Asterisk answered it.
    expect(error.cause).toBeInstanceOf(AmiActionError);
    expect((error.cause as AmiActionError).response.Message).toMatch(/Authentication failed/);
    await sleep(200);
    expect(server.actions.filter((action) => action.name === 'Login')).toHaveLength(1);
    expect(server.connectionCount).toBe(1);
    expect(reconnecting).toEqual([]);
    expect(client.willReconnect).toBe(false);
  });

  it('credentials refused while reconnecting after a loss: the reconnection stops', async () => {
    const server = await harness.server({ users: { admin: 'secret' } });
    const client = harness.client(server, { reconnect: FAST_RECONNECT });
    await client.connect();
    server.update({ users: { admin: 'rotated' } });
    const errors: AmiError[] = [];
    client.on('error', (error) => errors.push(error));
    server.dropConnections();
    await server.waitForAction('Login', { count: 2 });
    await sleep(200);
    expect(server.actions.filter((action) => action.name === 'Login')).toHaveLength(2);
    expect(errors.some((error) => error instanceof AmiAuthenticationError)).toBe(true);
    expect(client.state).toBe('disconnected');
    expect(client.willReconnect).toBe(false);
  });

  it('MD5 login: Challenge then Login with a Key, and the secret never crosses the wire', async () => {
    const server = await harness.server({ users: { admin: 'md5-secret-value' } });
    const client = harness.client(server, { secret: 'md5-secret-value', auth: 'md5' });
    await client.connect();
    const [challenge, login] = server.actions;
    expect(challenge.name).toBe('Challenge');
    expect(challenge.get('AuthType')).toBe('MD5');
    expect(login.name).toBe('Login');
    expect(login.get('Key')).toMatch(/^[0-9a-f]{32}$/);
    expect(login.get('Secret')).toBeUndefined();
    expect(JSON.stringify(server.actions.map((action) => action.headers))).not.toContain('md5-secret-value');
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('MD5 login with a wrong secret: AmiAuthenticationError', async () => {
    const server = await harness.server({ users: { admin: 'right' } });
    const client = harness.client(server, { secret: 'wrong', auth: 'md5' });
    expect(await rejectionOf(client.connect())).toBeInstanceOf(AmiAuthenticationError);
  });

  it.each([
    ['username', { username: 'admin\r\nAction: Command\r\nCommand: core stop now' }],
    ['secret', { secret: 'injected-secret\r\n\r\nAction: Originate' }],
    ['username (NUL)', { username: 'admin\0' }],
  ])('header injection in the %s: refused before any socket opens', async (_where, credentials) => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    let error: unknown;
    try {
      harness.client(server, { ...credentials, logger, traceFrames: true });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AmiInvalidActionError);
    expect((error as Error).message).not.toContain('injected-secret');
    expect((error as Error).message).not.toContain('core stop now');
    expect(logger.text).not.toContain('injected-secret');
    await sleep(50);
    expect(server.connectionCount).toBe(0);
  });

  it('header injection in a Login sent by hand: refused before any byte of it is written', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const before = server.bytesReceived;
    const error = await rejectionOf(
      client.send({ Action: 'Login', Username: 'admin\r\nAction: Command', Secret: 'hand-secret' }),
    );
    expect(error).toBeInstanceOf(AmiInvalidActionError);
    expect(error.message).not.toContain('hand-secret');
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
    expect(server.actions.map((action) => action.name)).toEqual(['Login', 'Ping']);
    expect(server.bytesReceived).toBeGreaterThan(before);
  });
});
