import { Redis } from 'ioredis';
import { clusterKeys } from '../../../lib/cluster/cluster-keys.js';
import { recordFigures } from '../../chaos/support/reliability-figures.js';
import { HoldProxy } from '../support/hold-proxy.js';
import { redisScriptInBackground } from '../support/redis-control.js';
import { redisTarget } from '../support/redis-server.js';
import { ChaosCluster, FAILOVER_BOUND_MS, GAP_CLOCK_SLACK_MS, LEASE_TTL } from './support/chaos-cluster.js';
import type { ChaosReplica } from './support/chaos-replica-process.js';

// Redis goes away under the steady call load: restarted (every key lost: stream, groups, lease, epoch), or
// cut by a TCP proxy between the replicas and Redis for longer than the buffer holds. Nothing may crash;
// the replicas reconnect, elect, recreate the groups and go on; losses are counted, never silent.

const TEST_TIMEOUT = 150_000;
const CUT_MS = 2_500;
const LONG_LEASE = 8_000;
/** About 100 events/s under the load: a cut of CUT_MS overflows this, so the bound is exercised too. */
const BUFFER_LIMIT = 150;
let cluster: ChaosCluster;
let proxy: HoldProxy | undefined;

afterEach(async () => {
  await cluster.stop();
  await proxy?.close();
  proxy = undefined;
}, 30_000);

async function totals(replicas: readonly ChaosReplica[]) {
  const statuses = await Promise.all(replicas.map((replica) => replica.status()));
  const sum = (name: string) => statuses.reduce((total, status) => total + (status.stats[name] ?? 0), 0);
  return {
    leaders: statuses.filter((status) => status.role === 'leader').length,
    published: sum('published'),
    dropped: sum('dropped'),
    refused: sum('refused'),
    buffered: sum('buffered'),
  };
}

/** Cuts the replicas off Redis for `ms`, reading the leader's buffer meanwhile; then lets them back. */
async function cutRedis(leader: ChaosReplica, ms: number) {
  const cutAt = Date.now();
  (proxy as HoldProxy).cut();
  let bufferedPeak = 0;
  while (Date.now() - cutAt < ms) {
    const status = await leader.status();
    bufferedPeak = Math.max(bufferedPeak, status.stats.buffered ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await (proxy as HoldProxy).restore();
  return { cutAt, restoredAt: Date.now(), bufferedPeak };
}

describe('cluster chaos: Redis faults under a steady call load', () => {
  it(
    'Redis restarted (all keys lost): no crash, a leader again, groups recreated, losses inside the gap or counted',
    async () => {
      cluster = new ChaosCluster();
      const leader = await cluster.start();
      cluster.startLoad();
      await cluster.handledAfter(0, 20);

      const restartAt = Date.now();
      await redisScriptInBackground('restart');
      const back = Date.now();
      const next = await cluster.leader(FAILOVER_BOUND_MS + 10_000, restartAt);
      const gained = next.of('gained').at(-1) as { epoch: number; at: number };
      await cluster.handledAfter(gained.at, 20);
      const load = await cluster.stopLoad();
      const ledger = await cluster.settleLedger();
      const after = await totals(cluster.replicas);
      // The restart took the groups with the stream: the ones there now were recreated by the replicas.
      const redis = new Redis(redisTarget.url);
      const groups = await redis
        .xinfo('GROUPS', clusterKeys(cluster.group, 'default').events)
        .finally(() => redis.quit());
      const groupNames = (groups as string[][]).map((group) => group[group.indexOf('name') + 1]);
      const gaps = cluster.gaps().filter((gap) => gap.to >= restartAt);
      const outsideGaps = ledger.lost.filter(
        (lost) => cluster.worstGapMiss([lost], gaps) > GAP_CLOCK_SLACK_MS,
      );

      const figures = {
        redisDownMs: back - restartAt,
        leaderAgainMs: gained.at - restartAt,
        sameLeader: next === leader,
        crashed: cluster.replicas.filter((replica) => replica.exited).length,
        leadersNow: after.leaders,
        lost: ledger.lost.length,
        lostOutsideGaps: outsideGaps.length,
        dropped: after.dropped,
        steadyDuplicates: ledger.publishedTwice.length + ledger.deliveredTwice.length,
        redelivered: ledger.redelivered.length,
        hung: load.hung,
      };
      console.log(
        `cluster chaos Redis restart (down ${figures.redisDownMs} ms, keys lost): leader again after ` +
          `${figures.leaderAgainMs} ms (${figures.sameLeader ? 'the same' : 'another'} replica, epoch ${gained.epoch}), ` +
          `crashed ${figures.crashed}, groups recreated ${groupNames.join('+')}, lost ${figures.lost}/${ledger.observed} ` +
          `Hangups (${outsideGaps.length} outside a gap; events dropped and counted ${after.dropped}), steady duplicates ${figures.steadyDuplicates}, ` +
          `redelivered ${figures.redelivered}, originates ${load.sent} settled ${JSON.stringify(load.outcomes)}, hung ${load.hung}`,
      );
      recordFigures('cluster chaos: Redis restart', figures);

      expect(figures.crashed).toBe(0);
      expect(after.leaders).toBe(1);
      expect(groupNames).toContain('once');
      expect(outsideGaps.length).toBeLessThanOrEqual(after.dropped);
      expect(ledger.publishedTwice).toEqual([]);
      expect(ledger.deliveredTwice).toEqual([]);
      expect(load.hung).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'Redis cut within the lease, past the buffer: the same leader publishes what it buffered, the overflow dropped and counted',
    async () => {
      const target = new URL(redisTarget.url);
      proxy = await HoldProxy.start({ host: target.hostname, port: Number(target.port) });
      // A lease long enough that the leader keeps it through the cut and its reconnection.
      cluster = new ChaosCluster({ redisUrl: proxy.url, bufferLimit: BUFFER_LIMIT, leaseTtl: LONG_LEASE });
      const leader = await cluster.start();
      cluster.startLoad();
      await cluster.handledAfter(0, 20);

      const before = await totals(cluster.replicas);
      const cut = await cutRedis(leader, CUT_MS);
      await cluster.handledAfter(cut.restoredAt + 1_000, 20);
      const load = await cluster.stopLoad();
      const ledger = await cluster.settleLedger();
      const after = await totals(cluster.replicas);
      const leaderAfter = await leader.status();

      const figures = {
        cutMs: cut.restoredAt - cut.cutAt,
        bufferLimit: BUFFER_LIMIT,
        bufferedPeak: cut.bufferedPeak,
        publishedSinceCut: after.published - before.published,
        dropped: after.dropped - before.dropped,
        sameLeader: leaderAfter.role === 'leader',
        crashed: cluster.replicas.filter((replica) => replica.exited).length,
        lost: ledger.lost.length,
        steadyDuplicates: ledger.publishedTwice.length + ledger.deliveredTwice.length,
        redelivered: ledger.redelivered.length,
        hung: load.hung,
      };
      console.log(
        `cluster chaos Redis cut ${figures.cutMs} ms within the lease (${LONG_LEASE}): buffered up to ` +
          `${cut.bufferedPeak} (bound ${BUFFER_LIMIT}) then published, ${figures.dropped} dropped and counted, ` +
          `same leader ${figures.sameLeader}, crashed ${figures.crashed}, lost ${figures.lost}/${ledger.observed} ` +
          `Hangups (all among the dropped), steady duplicates ${figures.steadyDuplicates}, redelivered ` +
          `${figures.redelivered}, originates ${load.sent} settled ${JSON.stringify(load.outcomes)}, hung ${load.hung}`,
      );
      recordFigures('cluster chaos: Redis cut within the lease', figures);

      expect(figures.crashed).toBe(0);
      expect(figures.sameLeader).toBe(true);
      expect(leaderAfter.stats.buffered).toBe(0);
      expect(cut.bufferedPeak).toBe(BUFFER_LIMIT);
      expect(figures.publishedSinceCut).toBeGreaterThanOrEqual(cut.bufferedPeak);
      expect(figures.dropped).toBeGreaterThan(0);
      // Only the overflow is lost, and it is counted: no gap, the leader never changed.
      expect(ledger.lost.length).toBeLessThanOrEqual(figures.dropped);
      expect(cluster.gaps().filter((gap) => gap.to >= cut.cutAt)).toEqual([]);
      expect(ledger.publishedTwice).toEqual([]);
      expect(ledger.deliveredTwice).toEqual([]);
      expect(load.hung).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'Redis cut past the lease: a leader again after, every loss inside the reported gap or counted',
    async () => {
      const target = new URL(redisTarget.url);
      proxy = await HoldProxy.start({ host: target.hostname, port: Number(target.port) });
      cluster = new ChaosCluster({ redisUrl: proxy.url, bufferLimit: BUFFER_LIMIT });
      const leader = await cluster.start();
      cluster.startLoad();
      await cluster.handledAfter(0, 20);

      const before = await totals(cluster.replicas);
      const cut = await cutRedis(leader, LEASE_TTL + 1_000);
      const next = await cluster.leader(FAILOVER_BOUND_MS + 10_000, cut.cutAt);
      const gained = next.of('gained').at(-1) as { epoch: number; at: number };
      await cluster.handledAfter(gained.at, 20);
      const load = await cluster.stopLoad();
      const ledger = await cluster.settleLedger();
      const after = await totals(cluster.replicas);
      const nextStatus = await next.status();
      const gaps = cluster.gaps().filter((gap) => gap.to >= cut.cutAt);
      const outsideGaps = ledger.lost.filter(
        (lost) => cluster.worstGapMiss([lost], gaps) > GAP_CLOCK_SLACK_MS,
      );

      const figures = {
        cutMs: cut.restoredAt - cut.cutAt,
        leaderAgainAfterRestoreMs: gained.at - cut.restoredAt,
        sameLeader: next === leader,
        bufferedPeak: cut.bufferedPeak,
        dropped: after.dropped - before.dropped,
        heldByDeposed: after.buffered,
        crashed: cluster.replicas.filter((replica) => replica.exited).length,
        lost: ledger.lost.length,
        lostOutsideGaps: outsideGaps.length,
        steadyDuplicates: ledger.publishedTwice.length + ledger.deliveredTwice.length,
        redelivered: ledger.redelivered.length,
        hung: load.hung,
      };
      console.log(
        `cluster chaos Redis cut ${figures.cutMs} ms past the lease (${LEASE_TTL}): leader again ` +
          `${figures.leaderAgainAfterRestoreMs} ms after the restore (${figures.sameLeader ? 'the same' : 'another'} ` +
          `replica), buffered up to ${cut.bufferedPeak}, dropped and counted ${figures.dropped}, still held by a ` +
          `deposed leader ${figures.heldByDeposed}, crashed ${figures.crashed}, lost ${figures.lost}/${ledger.observed} ` +
          `Hangups (${outsideGaps.length} outside a gap), steady duplicates ${figures.steadyDuplicates}, ` +
          `redelivered ${figures.redelivered}, originates ${load.sent} settled ${JSON.stringify(load.outcomes)}, hung ${load.hung}`,
      );
      recordFigures('cluster chaos: Redis cut past the lease', figures);

      expect(figures.crashed).toBe(0);
      expect(after.leaders).toBe(1);
      expect(nextStatus.stats.buffered).toBe(0);
      expect(gaps.length).toBeGreaterThan(0);
      expect(outsideGaps.length).toBeLessThanOrEqual(figures.dropped);
      expect(ledger.publishedTwice).toEqual([]);
      expect(ledger.deliveredTwice).toEqual([]);
      expect(load.hung).toBe(0);
    },
    TEST_TIMEOUT,
  );
});
