import { Redis } from 'ioredis';
import { AmiEventPublisher } from '../../lib/cluster/event-publisher.js';
import { relayEvents } from '../../lib/cluster/event-relay.js';
import { type AmiDeposedReason, AmiLeadership } from '../../lib/cluster/leadership.js';
import { type AmiRedisConnection, connectRedis } from '../../lib/cluster/redis-connection.js';
import type { AmiEvent } from '../../lib/protocol/ami-message.js';
import { acceptingPublisher, Connections, freshKeys, nextEmission } from './support/cluster-fixture.js';
import { HoldProxy } from './support/hold-proxy.js';
import { redisTarget } from './support/redis-server.js';
import { countByEpoch, readStream, waitFor } from './support/stream-reader.js';

const LEASE_TTL = 2_000;
const connections = new Connections();
let redis: Redis;

beforeAll(async () => {
  redis = await connections.open();
});
afterAll(() => connections.closeAll());

/** A replica: leadership, publisher and relay on its own connection, fed a Tick every 5 ms. */
function replica(connection: Redis, keys: ReturnType<typeof freshKeys>, name: string, leaseTtl = LEASE_TTL) {
  const leadership = new AmiLeadership({ redis: connection, keys, leaseTtl });
  const publisher = new AmiEventPublisher({ redis: connection, keys, leadership });
  const relayed = acceptingPublisher(publisher);
  let listener: ((event: AmiEvent, context: { fromAction: boolean }) => void) | undefined;
  relayEvents(
    {
      onEvent: (_name, l) => {
        listener = l;
        return () => undefined;
      },
    },
    leadership,
    relayed,
  );
  let seq = 0;
  const ticker = setInterval(() => {
    seq++;
    listener?.({ Event: 'Tick', Replica: name, Seq: String(seq) }, { fromAction: false });
  }, 5);
  return {
    leadership,
    publisher,
    /** Seq of each event the relay handed the publisher (it relays only while leading). */
    accepted: relayed.accepted,
    stop: async () => {
      clearInterval(ticker);
      await publisher.stop(0);
      await leadership.stop();
    },
  };
}

type Replica = ReturnType<typeof replica>;

/**
 * A replica leading through a HoldProxy, on the application's own client configured to fail commands at
 * once while disconnected; resolves once it published 10 entries. `terms` lists its elections and depositions.
 */
async function leadingThroughProxy(name: string) {
  const keys = freshKeys(name);
  const url = new URL(redisTarget.url);
  const proxy = await HoldProxy.start({ host: url.hostname, port: Number(url.port) });
  const given = new Redis(proxy.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  });
  given.on('error', () => undefined);
  const connection = await connectRedis(given);
  const leader = replica(connection.redis, keys, 'leader');
  const terms: string[] = [];
  leader.leadership.on('elected', (epoch) => terms.push(`elected ${epoch}`));
  leader.leadership.on('deposed', (reason) => terms.push(`deposed ${reason}`));
  leader.leadership.start();
  await waitFor('entries', async () => ((await redis.xlen(keys.events)) >= 10 ? true : undefined));
  return { keys, proxy, given, leader, terms };
}

/** The setting of a stalled leader: it leads, its Redis reached through a proxy that can hold its writes. */
interface Stall {
  proxy: HoldProxy;
  /** The first leader, behind the proxy. */
  stale: Replica;
  firstEpoch: number;
  /** A second replica on a direct connection, started once the first leads. */
  other: Replica;
}

/** Runs `body` once the first leader published 20 entries; stops both replicas and the proxy after. */
async function withStalledLeader(
  keys: ReturnType<typeof freshKeys>,
  otherName: string,
  body: (stall: Stall) => Promise<void>,
): Promise<void> {
  const url = new URL(redisTarget.url);
  const proxy = await HoldProxy.start({ host: url.hostname, port: Number(url.port) });
  let viaProxy: AmiRedisConnection | undefined;
  const replicas: Replica[] = [];
  try {
    viaProxy = await connectRedis(proxy.url);
    const stale = replica(viaProxy.redis, keys, 'stale');
    replicas.push(stale);
    stale.leadership.start();
    const firstEpoch = await nextEmission<number>((l) => stale.leadership.on('elected', l));
    const other = replica(await connections.open(), keys, otherName);
    replicas.push(other);
    other.leadership.start();
    await waitFor('entries of the first leader', async () =>
      (await redis.xlen(keys.events)) >= 20 ? true : undefined,
    );
    await body({ proxy, stale, firstEpoch, other });
  } finally {
    for (const one of replicas) await one.stop();
    await viaProxy?.close();
    await proxy.close();
  }
}

describe('fencing a leader whose writes reach Redis late', () => {
  it('the stalled network delivers its batches after the lease passed on: the script refuses every one', async () => {
    const keys = freshKeys('fencing');
    await withStalledLeader(
      keys,
      'successor',
      async ({ proxy, stale, firstEpoch: staleEpoch, other: successor }) => {
        // The leader's network stalls: its renewals and its batches wait in the proxy.
        const deposed = nextEmission<AmiDeposedReason>((l) => stale.leadership.on('deposed', l));
        const successorElected = nextEmission<number>((l) => successor.leadership.on('elected', l));
        proxy.hold();
        expect(await deposed).toBe('expired');
        const newEpoch = await successorElected;
        expect(newEpoch).toBeGreaterThan(staleEpoch);
        const staleEntries = countByEpoch(await readStream(redis, keys.events)).get(staleEpoch) ?? 0;

        // Its held writes reach Redis now, after the lease passed on.
        const heldBytes = proxy.release();
        await waitFor('the held batch answered', async () =>
          stale.publisher.stats.refused > 0 ? true : undefined,
        );
        await waitFor('entries of the successor', async () => {
          const entries = await readStream(redis, keys.events);
          return (countByEpoch(entries).get(newEpoch) ?? 0) >= 20 ? true : undefined;
        });
        const entries = await readStream(redis, keys.events);
        console.log(
          `[cluster] stalled network: ${heldBytes} bytes held past the lease; stale batches refused ` +
            `${stale.publisher.stats.refused} events; entries of stale epoch ${staleEpoch}: ` +
            `${staleEntries} before the release, ${countByEpoch(entries).get(staleEpoch) ?? 0} after`,
        );
        expect(heldBytes).toBeGreaterThan(0);
        expect(countByEpoch(entries).get(staleEpoch) ?? 0).toBe(staleEntries);
        const firstNew = entries.findIndex((entry) => entry.epoch === newEpoch);
        expect(entries.slice(firstNew).every((entry) => entry.event.Replica === 'successor')).toBe(true);
        expect(stale.leadership.role).toBe('follower');
      },
    );
  }, 30_000);

  it('events left from a lost term are dropped, not appended after the entries of the leader that came between', async () => {
    const keys = freshKeys('carried');
    await withStalledLeader(keys, 'between', async ({ proxy, stale, firstEpoch, other: between }) => {
      // Its network stalls while it leads: its events wait in memory, then it is deposed; another leads.
      const deposed = nextEmission<AmiDeposedReason>((l) => stale.leadership.on('deposed', l));
      const betweenElected = nextEmission<number>((l) => between.leadership.on('elected', l));
      proxy.hold();
      await deposed;
      await betweenElected;
      proxy.release();
      await waitFor('entries of the leader between', async () => {
        const entries = await readStream(redis, keys.events);
        return entries.filter((entry) => entry.event.Replica === 'between').length >= 10 ? true : undefined;
      });
      const carried = stale.publisher.stats.buffered;
      expect(carried).toBeGreaterThan(0);

      // The leader between steps down; the first one leads again, with events from its first term.
      const reelected = nextEmission<number>((l) => stale.leadership.on('elected', l));
      await between.stop();
      expect(await reelected).toBeGreaterThan(firstEpoch + 1);
      const entries = await waitFor('entries of its new term', async () => {
        const all = await readStream(redis, keys.events);
        const last = all.at(-1);
        return last !== undefined && last.event.Replica === 'stale' && last.epoch > firstEpoch + 1
          ? all
          : undefined;
      });
      const epochs = entries.map((entry) => entry.epoch);
      expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
      const staleSeqs = entries
        .filter((entry) => entry.event.Replica === 'stale')
        .map((entry) => Number(entry.event.Seq));
      expect(staleSeqs).toEqual([...staleSeqs].sort((a, b) => a - b));
      const lastOfFirstTerm = Math.max(
        ...entries.filter((entry) => entry.epoch === firstEpoch).map((entry) => Number(entry.event.Seq)),
      );
      const firstOfNewTerm = staleSeqs.find((seq) => seq > lastOfFirstTerm) ?? Number.NaN;
      console.log(
        `[cluster] carried over a lost term: ${carried} events waiting, ${stale.publisher.stats.dropped} dropped ` +
          `on re-election (another leader had published), Seq ${lastOfFirstTerm} -> ${firstOfNewTerm}`,
      );
      expect(stale.publisher.stats.dropped).toBe(carried);
      expect(firstOfNewTerm - lastOfFirstTerm).toBeGreaterThan(carried);
    });
  }, 30_000);

  it('a stall shorter than the lease: events wait in memory and all reach the stream, in order, same term', async () => {
    const keys = freshKeys('blip');
    const url = new URL(redisTarget.url);
    const proxy = await HoldProxy.start({ host: url.hostname, port: Number(url.port) });
    let viaProxy: AmiRedisConnection | undefined;
    let leader: ReturnType<typeof replica> | undefined;
    try {
      viaProxy = await connectRedis(proxy.url);
      leader = replica(viaProxy.redis, keys, 'leader', 10_000);
      const terms: string[] = [];
      leader.leadership.on('elected', (epoch) => terms.push(`elected ${epoch}`));
      leader.leadership.on('deposed', (reason) => terms.push(`deposed ${reason}`));
      leader.leadership.start();
      await nextEmission<number>((l) => leader?.leadership.on('elected', l) ?? (() => undefined));
      await waitFor('entries', async () => ((await redis.xlen(keys.events)) >= 10 ? true : undefined));
      proxy.hold();
      const publisher = leader.publisher;
      await waitFor('events waiting', async () => (publisher.stats.buffered >= 40 ? true : undefined));
      const waiting = publisher.stats.buffered;
      proxy.release();
      await waitFor('the wait drained', async () => (publisher.stats.buffered < 5 ? true : undefined));
      const published = publisher.stats.published;
      const entries = await waitFor('the drained events in the stream', async () => {
        const all = await readStream(redis, keys.events);
        return all.length >= published ? all : undefined;
      });
      const seqs = entries.map((entry) => Number(entry.event.Seq));
      console.log(`[cluster] short stall: ${waiting} events waited in memory, all published after it`);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
      expect(terms).toEqual(['elected 1']);
      expect(publisher.stats).toMatchObject({ dropped: 0, refused: 0 });
    } finally {
      await leader?.stop();
      await viaProxy?.close();
      await proxy.close();
    }
  }, 30_000);

  it('Redis out of reach for longer than the lease, on a client that fails commands at once: deposed, then the same replica leads again and publishes what waited', async () => {
    const { keys, proxy, given, leader, terms } = await leadingThroughProxy('outage');
    try {
      const publisher = leader.publisher;
      proxy.cut();
      await waitFor('deposed', async () => (terms.includes('deposed expired') ? true : undefined));
      const waiting = publisher.stats.buffered;
      const acceptedInFirstTerm = leader.accepted.length;
      await proxy.restore();
      await waitFor('elected again', async () => (terms.length >= 3 ? true : undefined));
      await waitFor('the wait drained', async () => (publisher.stats.buffered < 5 ? true : undefined));
      // Every accepted event is published, dropped or still waiting (in flight included): none vanished.
      const stats = publisher.stats;
      const accepted = [...leader.accepted];
      expect(stats.published + stats.dropped + stats.buffered).toBe(accepted.length);
      // The first term's events, and all those published so far, in the stream.
      const entries = await waitFor('the published events in the stream', async () => {
        const all = await readStream(redis, keys.events);
        return all.length >= Math.max(stats.published, acceptedInFirstTerm) ? all : undefined;
      });
      const seqs = entries.map((entry) => Number(entry.event.Seq));
      console.log(
        `[cluster] Redis out of reach past the lease: ${terms.join(', ')}; ${waiting} events waited, ` +
          `${stats.dropped} dropped`,
      );
      expect(terms.slice(0, 3)).toEqual(['elected 1', 'deposed expired', 'elected 2']);
      expect(waiting).toBeGreaterThan(0);
      expect(stats.dropped).toBe(0);
      // Every accepted event, once and in order, from the first: those of the first term that waited too.
      expect(seqs).toEqual(accepted.slice(0, seqs.length));
    } finally {
      await leader.stop();
      given.disconnect();
      await proxy.close();
    }
  }, 30_000);
  it('batches that landed while their replies were lost: leading again, the same replica confirms them and drops nothing', async () => {
    const { keys, proxy, given, leader, terms } = await leadingThroughProxy('lost-reply');
    try {
      const publisher = leader.publisher;
      // Batches go out and wait in the proxy; then they reach Redis, but its answers never come back.
      proxy.hold();
      await waitFor('batches held', async () => (proxy.heldBytes > 2_000 ? true : undefined));
      const before = (await readStream(redis, keys.events)).length;
      proxy.muteReplies();
      proxy.release();
      const landed = await waitFor('the held batches in the stream', async () => {
        const now = (await readStream(redis, keys.events)).length;
        return now > before ? now - before : undefined;
      });
      proxy.cut();
      await waitFor('deposed', async () => (terms.includes('deposed expired') ? true : undefined));
      await proxy.restore();
      await waitFor('elected again', async () => (terms.length >= 3 ? true : undefined));
      await waitFor('the wait drained', async () => (publisher.stats.buffered < 5 ? true : undefined));
      const stats = publisher.stats;
      const accepted = [...leader.accepted];
      const seqs = (await readStream(redis, keys.events)).map((entry) => Number(entry.event.Seq));
      console.log(
        `[cluster] replies lost: ${landed} events landed unanswered; ${terms.join(', ')}; ${stats.dropped} dropped`,
      );
      expect(terms.slice(0, 3)).toEqual(['elected 1', 'deposed expired', 'elected 2']);
      expect(stats.dropped).toBe(0);
      // Every accepted event once, in order: the landed ones not sent again, none after them lost.
      expect(seqs).toEqual(accepted.slice(0, seqs.length));
      expect(seqs.length).toBeGreaterThanOrEqual(accepted.length - stats.buffered);
    } finally {
      await leader.stop();
      given.disconnect();
      await proxy.close();
    }
  }, 30_000);
});
