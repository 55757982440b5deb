import type { Redis } from 'ioredis';
import { AmiEventPublisher } from '../../lib/cluster/event-publisher.js';
import { type AmiDeposedReason, AmiLeadership } from '../../lib/cluster/leadership.js';
import { identityOfToken } from '../../lib/cluster/replica-identity.js';
import { Connections, freshKeys, nextEmission } from './support/cluster-fixture.js';
import { readStream, waitFor } from './support/stream-reader.js';

const connections = new Connections();
const started: AmiLeadership[] = [];
let redis: Redis;

function leadership(
  options: Partial<ConstructorParameters<typeof AmiLeadership>[0]> & { keys: ReturnType<typeof freshKeys> },
) {
  const created = new AmiLeadership({ redis, ...options });
  started.push(created);
  return created;
}

beforeAll(async () => {
  redis = await connections.open();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((one) => one.stop()));
});
afterAll(() => connections.closeAll());

describe('the leadership lease on the real Redis', () => {
  it('takes the lease with its token, a fencing epoch per new holder, and renews it', async () => {
    const keys = freshKeys('lease');
    const a = leadership({ keys, leaseTtl: 600 });
    const elected: number[] = [];
    a.on('elected', (epoch) => elected.push(epoch));
    a.start();
    const epoch = await nextEmission<number>((l) => a.on('elected', l));
    expect(epoch).toBe(1);
    expect(identityOfToken((await redis.get(keys.lease)) as string)).toBe(a.identity);
    expect(await a.leader()).toEqual({ identity: a.identity, epoch: 1 });
    // Renewed: still the leader, same term, across five lease lengths.
    const since = Date.now();
    await waitFor(
      'five lease lengths',
      async () => (Date.now() - since > 5 * 600 ? true : undefined),
      10_000,
    );
    expect(a.isLeader).toBe(true);
    expect(elected).toEqual([1]);
    expect(await redis.pttl(keys.lease)).toBeGreaterThan(0);
  }, 30_000);

  it('a renewal that finds another token: deposed (lost), then a follower that waits for the lease', async () => {
    const keys = freshKeys('lost');
    const a = leadership({ keys, leaseTtl: 900 });
    a.start();
    await nextEmission<number>((l) => a.on('elected', l));
    const deposed = nextEmission<AmiDeposedReason>((l) => a.on('deposed', l));
    await redis.set(keys.lease, 'intruder:1:x#y', 'PX', 60_000);
    expect(await deposed).toBe('lost');
    expect(a.role).toBe('follower');
    expect(await redis.get(keys.lease)).toBe('intruder:1:x#y');
    // Once it is free, the follower takes it with a greater epoch.
    const elected = nextEmission<number>((l) => a.on('elected', l));
    await redis.del(keys.lease);
    a.tryNow();
    expect(await elected).toBe(2);
  }, 30_000);

  it('stop() releases the lease at once and says so on Redis: a follower takes it then, not at its next poll', async () => {
    const keys = freshKeys('release');
    const a = leadership({ keys, leaseTtl: 30_000 });
    a.start();
    await nextEmission<number>((l) => a.on('elected', l));
    // b's first attempt fails (a holds the lease for 30 s); its next one would be 20 s later.
    let bAttempts = 0;
    const countingRedis = new Proxy(redis, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (property === 'evalsha') bAttempts++;
          return value.apply(target, args);
        };
      },
    });
    const b = leadership({ keys, redis: countingRedis, leaseTtl: 30_000, acquireInterval: 20_000 });
    b.start();
    await waitFor('b tried once', async () => (bAttempts > 0 ? true : undefined));
    await waitFor('b answered', async () =>
      (await redis.pttl(keys.lease)) > 0 && b.role === 'follower' ? true : undefined,
    );
    // Both listen for the release (b's next poll is 20 s away: only the announcement can wake it sooner).
    await waitFor('both subscribed', async () => {
      const [, listeners] = (await redis.pubsub('NUMSUB', `${keys.lease}:freed`)) as [string, number];
      return Number(listeners) === 2 ? true : undefined;
    });
    const attemptsBefore = bAttempts;
    const deposed = nextEmission<AmiDeposedReason>((l) => a.on('deposed', l));
    const elected = nextEmission<number>((l) => b.on('elected', l), 15_000);
    await a.stop();
    expect(await deposed).toBe('stopped');
    expect(await elected).toBe(2);
    expect(identityOfToken((await redis.get(keys.lease)) as string)).toBe(b.identity);
    expect(bAttempts).toBe(attemptsBefore + 1);
  }, 30_000);

  it('fencing: a leader whose lease was taken cannot append; the script refuses and it is deposed', async () => {
    const keys = freshKeys('fence');
    const stale = leadership({ keys, leaseTtl: 30_000 });
    const publisher = new AmiEventPublisher({ redis, keys, leadership: stale });
    stale.start();
    const epoch = await nextEmission<number>((l) => stale.on('elected', l));
    publisher.publish({ Event: 'Tick', Seq: '1' });
    await publisher.idle();
    // The lease expired while it stalled and another replica took it (its renewal is 10 s away).
    await redis.set(keys.lease, 'successor:2:z#w', 'PX', 60_000);
    await redis.incr(keys.epoch);
    const deposed = nextEmission<AmiDeposedReason>((l) => stale.on('deposed', l));
    for (let seq = 2; seq <= 6; seq++) publisher.publish({ Event: 'Tick', Seq: String(seq) });
    expect(await deposed).toBe('fenced');
    const entries = await readStream(redis, keys.events);
    console.log(`[cluster] fenced publisher: ${publisher.stats.refused} stale events refused by the script`);
    expect(entries.map((entry) => [entry.event.Seq, entry.epoch])).toEqual([['1', epoch]]);
    expect(publisher.stats).toMatchObject({ published: 1, refused: 5, buffered: 5, dropped: 0 });
    await publisher.stop(0);
  }, 30_000);

  it('refuses a lease length it cannot renew in time', () => {
    expect(() => new AmiLeadership({ redis, keys: freshKeys('bad'), leaseTtl: 10 })).toThrow(/leaseTtl/);
  });
});
