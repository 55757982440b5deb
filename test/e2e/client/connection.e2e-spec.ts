import {
  AmiActionError,
  AmiClient,
  AmiConnectionError,
  AmiDisconnectedError,
  type AmiDisconnectInfo,
  type AmiReconnectingInfo,
} from '../../../lib/client.js';
import {
  asterisk,
  cli,
  credentials,
  itWithRig,
  rig,
  rigCertificateAuthority,
} from '../support/asterisk-target.js';
import { nextEvent, nextLifecycle, sleep } from '../support/wait-for.js';

/** Sessions Asterisk lists for the test user. */
const sessionsOfTestUser = async () =>
  (await cli('manager show connected'))
    .split('\n')
    .filter((line) => line.trim().startsWith(`${asterisk.username} `)).length;

/** Polls Asterisk's session list until it shows `expected` sessions of the test user (or times out). */
async function eventuallySessions(expected: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let sessions = await sessionsOfTestUser();
  while (sessions !== expected && Date.now() < deadline) {
    await sleep(50);
    sessions = await sessionsOfTestUser();
  }
  expect(sessions).toBe(expected);
}

describe('connection lifecycle against the real Asterisk 22', () => {
  let client: AmiClient | undefined;
  afterEach(async () => {
    await client?.disconnect();
    client = undefined;
  });

  itWithRig('logs off on disconnect(): Asterisk no longer lists the session', async () => {
    client = new AmiClient({
      ...credentials(),
      actionIdPrefix: 'logoff-',
      reconnect: false,
      keepAlive: false,
    });
    const before = await sessionsOfTestUser();
    await client.connect();
    await eventuallySessions(before + 1);
    const disconnects: AmiDisconnectInfo[] = [];
    client.on('disconnect', (info) => disconnects.push(info));
    await client.disconnect();
    expect(client.state).toBe('disconnected');
    expect(disconnects).toEqual([{ reason: 'logoff', error: undefined, willReconnect: false }]);
    // Asterisk drops the session on its own thread after answering the Logoff: wait for it.
    await eventuallySessions(before);
  });

  itWithRig(
    'survives an Asterisk restart: the pending action rejects, the client reconnects and events flow again',
    async () => {
      client = new AmiClient({
        ...credentials(),
        reconnect: { initialDelay: 200, maxDelay: 1_000 },
        keepAlive: false,
      });
      const lifecycle: string[] = [];
      client.on('disconnect', (info: AmiDisconnectInfo) => lifecycle.push(`disconnect:${info.reason}`));
      client.on('reconnecting', (info: AmiReconnectingInfo) =>
        lifecycle.push(`reconnecting:${info.attempt}`),
      );
      client.on('login', () => lifecycle.push('login'));
      await client.connect();

      // A synchronous Originate to a channel that never answers stays pending until Asterisk goes away.
      const pending = client.send(
        { Action: 'Originate', Channel: 'Local/ring@test', Application: 'Wait', Data: '1', Timeout: 60_000 },
        { timeout: 60_000 },
      );
      const pendingOutcome = pending.catch((error: unknown) => error);
      await sleep(300);

      const relogin = nextLifecycle(client, 'login', 60_000);
      await rig('restart');
      // Settled with a typed error: Asterisk either hangs up the ringing channel as it stops (AmiActionError)
      // or closes first (AmiDisconnectedError).
      const outcome = await pendingOutcome;
      expect([AmiActionError, AmiDisconnectedError]).toContain((outcome as object).constructor);
      await relogin;
      expect(client.state).toBe('connected');
      const [firstLogin, disconnect, firstRetry, ...rest] = lifecycle;
      expect(firstLogin).toBe('login');
      expect(disconnect).toMatch(/^disconnect:(shutdown|closed)$/);
      expect(firstRetry).toBe('reconnecting:1');
      expect(rest[rest.length - 1]).toBe('login');
      expect(rest.every((entry) => entry.startsWith('reconnecting:') || entry === 'login')).toBe(true);
      expect(lifecycle.filter((entry) => entry === 'login')).toHaveLength(2);

      const origin = await client.originate({ Channel: 'Local/100@test', Application: 'Wait', Data: '5' });
      const base = String(origin.Channel).slice(0, -2);
      const hangup = await nextEvent(client, 'Hangup', (event) => event.Channel === `${base};2`);
      expect(hangup.Cause).toBe('16');
    },
    90_000,
  );

  it('connects over TLS when given the CA, verifying the certificate', async () => {
    const ca = await rigCertificateAuthority();
    client = new AmiClient({
      ...credentials(),
      port: asterisk.tlsPort,
      tls: { ca },
      reconnect: false,
      keepAlive: false,
    });
    await client.connect();
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('refuses the self-signed TLS certificate when the CA is not given', async () => {
    client = new AmiClient({
      ...credentials(),
      port: asterisk.tlsPort,
      tls: true,
      reconnect: false,
      keepAlive: false,
    });
    const failure = await client.connect().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AmiConnectionError);
    expect((failure as AmiConnectionError).code).toMatch(/CERT|SIGNATURE|ISSUER/);
    expect(client.state).toBe('disconnected');
  });

  it('rejects a refused port with AmiConnectionError and no retry', async () => {
    client = new AmiClient({ ...credentials(), port: 1, reconnect: false, keepAlive: false });
    const failure = await client.connect().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AmiConnectionError);
    expect((failure as AmiConnectionError).code).toBe('ECONNREFUSED');
  });

  it('rejects an action sent while disconnected at once', async () => {
    client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
    await expect(client.send({ Action: 'Ping' })).rejects.toBeInstanceOf(AmiDisconnectedError);
  });
});
