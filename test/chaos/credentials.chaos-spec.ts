import { createServer } from 'node:net';
import { AmiAuthenticationError, type AmiClient } from '../../lib/client.js';
import { asterisk } from '../e2e/support/asterisk-target.js';
import { CHAOS_RECONNECT, chaosClient, eventually, settleWithin, sleep } from './support/chaos-client.js';
import { FaultProxy } from './support/fault-proxy.js';
import { TemporaryManagerUser } from './support/manager-users.js';
import { printFigures, recordFigures } from './support/reliability-figures.js';

// After a refusal nothing may happen for several backoff periods: no connection, no login.
const QUIET_MS = 3 * CHAOS_RECONNECT.maxDelay;
// Asterisk answers a bad login after about a second; a client that loops never settles.
const REFUSED_WITHIN_MS = 10_000;
const WRONG_SECRET = 'not-the-secret-8c1f';

interface Attempts {
  policy: string;
  logins: number;
  challenges: number;
  connectionsAfterRefusal: number;
  reconnectingAfterRefusal: number;
}

/** Watches one client through its own proxy: what it sent and what it did once refused. */
class Witness {
  reconnecting = 0;
  authErrors = 0;
  private refusedAt: { accepted: number; reconnecting: number } | null = null;

  constructor(
    readonly client: AmiClient,
    readonly proxy: FaultProxy,
  ) {
    client.on('reconnecting', () => this.reconnecting++);
    client.on('error', (error) => {
      if (error instanceof AmiAuthenticationError) {
        this.authErrors++;
        this.refusedAt ??= { accepted: proxy.accepted, reconnecting: this.reconnecting };
      }
    });
  }

  async attemptsAfterQuiet(policy: string, loginsBefore = 0): Promise<Attempts> {
    await sleep(QUIET_MS);
    const refusedAt = this.refusedAt ?? { accepted: this.proxy.accepted, reconnecting: this.reconnecting };
    return {
      policy,
      logins: this.proxy.actionsSent('Login') - loginsBefore,
      challenges: this.proxy.actionsSent('Challenge'),
      connectionsAfterRefusal: this.proxy.accepted - refusedAt.accepted,
      reconnectingAfterRefusal: this.reconnecting - refusedAt.reconnecting,
    };
  }
}

const itWithRig = asterisk.managed ? it : it.skip;
const figures: Attempts[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(() => {
  const block: Record<string, string> = {};
  for (const attempt of figures) {
    block[attempt.policy] =
      `${attempt.logins} login(s), then ${attempt.connectionsAfterRefusal} connection(s) in ${QUIET_MS} ms`;
  }
  printFigures('Chaos: bad credentials (npm run test:chaos -- test/chaos/credentials)', block);
  recordFigures('chaos:credentials', { quietMs: QUIET_MS, policies: figures });
});

async function witnessed(
  options: Parameters<typeof chaosClient>[1],
  target = asterisk.port,
): Promise<Witness> {
  const proxy = await FaultProxy.start({ host: asterisk.host, port: target });
  const client = chaosClient(proxy.port, options);
  cleanups.push(() => proxy.close());
  cleanups.push(() => client.destroy());
  return new Witness(client, proxy);
}

function expectOneLoginThenSilence(attempts: Attempts, auth: 'plain' | 'md5'): void {
  figures.push(attempts);
  expect(attempts).toEqual({
    policy: attempts.policy,
    logins: 1,
    challenges: auth === 'md5' ? 1 : 0,
    connectionsAfterRefusal: 0,
    reconnectingAfterRefusal: 0,
  });
}

describe('chaos: refused credentials are tried once, never in a loop', () => {
  describe.each([
    { policy: 'boot, plain, connect()', auth: 'plain' as const, retry: false },
    { policy: 'boot, plain, connect({ retry: true })', auth: 'plain' as const, retry: true },
    { policy: 'boot, md5, connect({ retry: true })', auth: 'md5' as const, retry: true },
  ])('$policy', ({ policy, auth, retry }) => {
    itWithRig(
      'rejects with AmiAuthenticationError after exactly one login',
      async () => {
        const witness = await witnessed({ auth, secret: WRONG_SECRET });
        const refused = await settleWithin(witness.client.connect({ retry }), REFUSED_WITHIN_MS);
        expect(refused).toBeInstanceOf(AmiAuthenticationError);
        expect((refused as Error).message).not.toContain(WRONG_SECRET);
        const attempts = await witness.attemptsAfterQuiet(policy);
        expectOneLoginThenSilence(attempts, auth);
        expect(witness.client.state).toBe('disconnected');
        expect(witness.client.willReconnect).toBe(false);
      },
      30_000,
    );
  });

  itWithRig(
    'boot with retry while Asterisk is unreachable: connection retries, then one login',
    async () => {
      // A port nothing listens on: the proxy accepts, fails upstream and closes, like a PBX that is down.
      const closedPort = await freePort();
      const witness = await witnessed({ secret: WRONG_SECRET }, closedPort);
      const refused = witness.client.connect({ retry: true });
      refused.catch(() => undefined);
      expect(await eventually(() => witness.reconnecting >= 2, 15_000)).toBe(true);
      expect(witness.proxy.actionsSent('Login')).toBe(0);
      witness.proxy.target = { host: asterisk.host, port: asterisk.port };
      expect(await settleWithin(refused, REFUSED_WITHIN_MS)).toBeInstanceOf(AmiAuthenticationError);
      const attempts = await witness.attemptsAfterQuiet('boot, retry, Asterisk unreachable first');
      expectOneLoginThenSilence(attempts, 'plain');
    },
    40_000,
  );

  describe.each([
    { policy: 'after a reconnect, plain', auth: 'plain' as const },
    { policy: 'after a reconnect, md5', auth: 'md5' as const },
  ])('$policy', ({ policy, auth }) => {
    itWithRig(
      'stops after one refused login when the secret changed while connected',
      async () => {
        const username = `chaos-auth-${auth}`;
        const user = await TemporaryManagerUser.create(username, 'first-secret');
        cleanups.push(() => user.remove());
        const witness = await witnessed({ auth, username, secret: 'first-secret' });
        await witness.client.connect();
        const loginsBefore = witness.proxy.actionsSent('Login');
        const challengesBefore = witness.proxy.actionsSent('Challenge');
        expect(loginsBefore).toBe(1);

        await user.changeSecret('second-secret');
        const stopped = new Promise<void>((resolve) =>
          witness.client.on('stateChange', (state) => state === 'disconnected' && resolve()),
        );
        await witness.proxy.cut({ reset: false });
        // A connect() made during the reconnection shares its fate: it must reject, not resolve.
        await eventually(() => witness.client.state === 'reconnecting', 5_000);
        const joined = await settleWithin(witness.client.connect(), REFUSED_WITHIN_MS);
        expect(joined).toBeInstanceOf(AmiAuthenticationError);
        expect(await settleWithin(stopped, REFUSED_WITHIN_MS)).toBeUndefined();

        const attempts = await witness.attemptsAfterQuiet(policy, loginsBefore);
        expectOneLoginThenSilence({ ...attempts, challenges: attempts.challenges - challengesBefore }, auth);
        expect(witness.authErrors).toBe(1);
        expect(witness.client.willReconnect).toBe(false);

        // With its secret valid again, an explicit connect() logs in: the refusal stopped it, broke nothing.
        await user.changeSecret('first-secret');
        await witness.client.connect();
        expect(witness.client.state).toBe('connected');
        expect(witness.proxy.actionsSent('Login')).toBe(loginsBefore + 2);
      },
      40_000,
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
