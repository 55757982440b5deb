import { randomBytes } from 'node:crypto';
import { type INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AmiClient } from '../../../lib/client/ami-client.js';
import { AmiRedisError } from '../../../lib/cluster/cluster-errors.js';
import {
  type AmiEventGapEvent,
  type AmiEventMeta,
  AmiHealthIndicator,
  AmiModule,
  type AmiModuleOptions,
  AmiService,
  OnAmiEvent,
  OnAmiEventGap,
  OnAmiLeadershipGained,
  OnAmiLeadershipLost,
} from '../../../lib/nest/index.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { asterisk } from '../../e2e/support/asterisk-target.js';
import { recordingLogger } from '../support/cluster-fixture.js';
import { redisTarget } from '../support/redis-server.js';
import { waitFor } from '../support/stream-reader.js';

// Two Nest applications, each its own AmiModule in cluster mode on the same group, in this process;
// a third, plain AmiClient sends UserEvents on its own session, which reach the apps only through the
// leader's event session and the Redis stream.
const LEASE_TTL = 1_500;
const TEST_TIMEOUT = 60_000;
const PROBE = 'NestClusterProbe';

type Seen = { marker: string; meta: AmiEventMeta };

@Injectable()
class Probes {
  readonly once: Seen[] = [];
  readonly every: Seen[] = [];
  readonly leader: Seen[] = [];
  readonly gaps: AmiEventGapEvent[] = [];
  readonly gained: number[] = [];
  readonly lost: string[] = [];

  @OnAmiEvent('UserEvent', { filter: (event) => event.UserEvent === PROBE })
  onOnce(event: AmiEvent, meta: AmiEventMeta) {
    this.once.push({ marker: String(event.Marker), meta });
  }

  @OnAmiEvent('UserEvent', { delivery: 'every', filter: (event) => event.UserEvent === PROBE })
  onEvery(event: AmiEvent, meta: AmiEventMeta) {
    this.every.push({ marker: String(event.Marker), meta });
  }

  @OnAmiEvent('UserEvent', { delivery: 'leader', filter: (event) => event.UserEvent === PROBE })
  onLeader(event: AmiEvent, meta: AmiEventMeta) {
    this.leader.push({ marker: String(event.Marker), meta });
  }

  @OnAmiEventGap()
  onGap(gap: AmiEventGapEvent) {
    this.gaps.push(gap);
  }

  @OnAmiLeadershipGained()
  onGained(event: { epoch: number }) {
    this.gained.push(event.epoch);
  }

  @OnAmiLeadershipLost()
  onLost(event: { reason: string }) {
    this.lost.push(event.reason);
  }
}

interface App {
  app: INestApplication;
  ami: AmiService;
  probes: Probes;
  lines: { level: string; message: string }[];
}

const amiOptions = () => ({
  host: asterisk.host,
  port: asterisk.port,
  username: asterisk.username,
  secret: asterisk.secret,
});

async function startApp(
  cluster: AmiModuleOptions['cluster'],
  extra: Partial<AmiModuleOptions> = {},
): Promise<App> {
  const { lines, logger } = recordingLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [AmiModule.forRoot({ ...amiOptions(), logger, cluster, ...extra })],
    providers: [Probes],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw Object.assign(error as Error, { lines });
  }
  return { app, ami: app.get(AmiService), probes: app.get(Probes), lines };
}

const newGroup = () => `nest-${randomBytes(4).toString('hex')}`;
const until = <T>(what: string, probe: () => T | undefined | false, timeout = 20_000) =>
  waitFor(what, async () => probe() || undefined, timeout) as Promise<T>;

let apps: App[] = [];
let sender: AmiClient;

beforeAll(async () => {
  sender = new AmiClient({ ...amiOptions(), reconnect: false });
  await sender.connect();
});
afterAll(() => sender.disconnect());
afterEach(async () => {
  await Promise.all(apps.map(({ app }) => app.close()));
  apps = [];
});

async function twoApps(group: string): Promise<[App, App]> {
  const cluster = { redis: redisTarget.url, group, leaseTtl: LEASE_TTL };
  const first = await startApp(cluster);
  apps.push(first);
  // The first app leads once its event session is in and its gap marker came back through the stream.
  await until(
    'the first app to lead',
    () => first.ami.cluster?.role === 'leader' && first.probes.gaps.length > 0,
  );
  const second = await startApp(cluster);
  apps.push(second);
  return [first, second];
}

async function sendProbe(marker: string): Promise<void> {
  await sender.send({ Action: 'UserEvent', UserEvent: PROBE, Marker: marker });
}

async function settledLag(app: App): Promise<void> {
  await waitFor('the group to catch up', async () => {
    const lag = await app.ami.cluster?.lag();
    return lag !== undefined && lag.once === 0 && lag.leader === 0 ? true : undefined;
  });
}

describe('two Nest apps in cluster mode on one group', () => {
  it(
    'run a once handler in exactly one app, every handlers in both, the leader handler in the leader only',
    async () => {
      const [first, second] = await twoApps(newGroup());
      expect(first.ami.cluster?.role).toBe('leader');
      expect(second.ami.cluster?.role).toBe('follower');
      expect(await second.ami.cluster?.leader()).toBe(first.ami.cluster?.replicaId);
      expect(first.ami.cluster?.replicaId).not.toBe(second.ami.cluster?.replicaId);

      // AmiService's observables are served by the every reader: each replica sees each event.
      const observed: string[] = [];
      const subscription = second.ami.events('UserEvent').subscribe((event) => {
        observed.push(String(event.Marker));
      });
      const marker = randomBytes(4).toString('hex');
      await sendProbe(marker);
      const seenBy = (list: (probes: Probes) => Seen[]) =>
        [first, second].map(({ probes }) => list(probes).filter((seen) => seen.marker === marker).length);
      await until('both every handlers', () => seenBy((p) => p.every).every((count) => count === 1));
      await until('the once handler', () => seenBy((p) => p.once).some((count) => count === 1));
      await until('the leader handler', () => seenBy((p) => p.leader)[0] === 1);
      // Acknowledged by the group: a duplicate could only come from a claim, after claimIdle (30 s).
      await settledLag(first);

      await until('the observable', () => observed.includes(marker));
      subscription.unsubscribe();
      expect(seenBy((p) => p.every)).toEqual([1, 1]);
      expect(seenBy((p) => p.once).reduce((a, b) => a + b)).toBe(1);
      expect(seenBy((p) => p.leader)).toEqual([1, 0]);
      const once = [first, second].flatMap(({ probes }) => probes.once)[0];
      expect(once.meta).toMatchObject({ delivery: 'once', deliveryCount: 1, fromAction: false });
      expect(once.meta.eventId).toMatch(/^\d+-\d+$/);
      const every = second.probes.every.find((seen) => seen.marker === marker);
      expect(every?.meta.eventId).toBe(once.meta.eventId);
      expect(every?.meta.delivery).toBe('every');

      const health = await first.app.get(AmiHealthIndicator).isHealthy();
      expect(health.ami).toMatchObject({
        status: 'up',
        role: 'leader',
        leader: first.ami.cluster?.replicaId,
        lag: { once: 0, leader: 0 },
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'hands the leadership over when the leader app closes; the new leader tells its handlers about the gap',
    async () => {
      const [first, second] = await twoApps(newGroup());
      const gapsBefore = second.probes.gaps.length;
      await first.app.close();
      apps = [second];
      // Its lease released on close, before its handlers stopped: they heard it.
      expect(first.probes.lost).toHaveLength(1);
      await until('the second app to lead', () => second.ami.cluster?.role === 'leader', 20_000);
      const gap = await until('the gap lifecycle on the new leader', () => second.probes.gaps[gapsBefore]);
      expect(gap).toMatchObject({
        kind: 'eventGap',
        connection: 'default',
        epoch: second.ami.cluster?.epoch,
      });
      expect(gap.to).toBeGreaterThanOrEqual(gap.from ?? 0);
      expect(second.probes.gained).toEqual([second.ami.cluster?.epoch]);

      // The new leader's session relays: a probe reaches the once, every and leader handlers.
      const marker = randomBytes(4).toString('hex');
      await sendProbe(marker);
      await until('the probe on the new leader', () =>
        [second.probes.once, second.probes.every, second.probes.leader].every((list) =>
          list.some((seen) => seen.marker === marker),
        ),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'fails the bootstrap with AmiRedisError on a wrong Redis URL, without its password',
    async () => {
      const password = 'n0t-the-r3dis-pw';
      const cluster = { redis: `redis://:${password}@127.0.0.1:1/0`, group: newGroup() };
      const failure = await startApp(cluster, { connectionInit: { timeout: 10_000 } }).then(
        () => undefined,
        (error: Error & { lines: { message: string }[] }) => error,
      );
      expect(failure).toBeInstanceOf(AmiRedisError);
      expect(String(failure?.message)).not.toContain(password);
      expect(JSON.stringify(failure)).not.toContain(password);
      expect((failure as unknown as AmiRedisError).target).toContain('<redacted>');
      for (const line of failure?.lines ?? []) expect(line.message).not.toContain(password);
    },
    TEST_TIMEOUT,
  );

  it(
    'starts anyway on a wrong Redis URL with failOnError false, and logs it without the password',
    async () => {
      const password = 'n0t-the-r3dis-pw';
      const cluster = { redis: `redis://:${password}@127.0.0.1:1/0`, group: newGroup() };
      const app = await startApp(cluster, { connectionInit: { failOnError: false } });
      apps.push(app);
      const line = app.lines.find((entry) => entry.message.includes('cluster mode did not start'));
      expect(line?.message).toMatch(/Redis/);
      expect(app.lines.some((entry) => entry.message.includes(password))).toBe(false);
      expect(app.ami.isConnected).toBe(true);
    },
    TEST_TIMEOUT,
  );
});
