import { recordFigures } from '../../chaos/support/reliability-figures.js';
import { ChaosCluster, CLAIM_IDLE, entryTime, GAP_CLOCK_SLACK_MS, until } from './support/chaos-cluster.js';
import type { ChaosReplica } from './support/chaos-replica-process.js';

// A replica is killed while its `once` handler runs (the chaos app's ChaosSlow handler takes a minute on a
// first delivery): after claimIdle another replica claims the entry and handles it, deliveryCount 2, same
// eventId. Under the same steady call load as the leader faults.

const TEST_TIMEOUT = 120_000;
let cluster: ChaosCluster;

afterEach(async () => {
  await cluster.stop();
}, 30_000);

describe('cluster chaos: a replica dies in the middle of a handler', () => {
  it(
    'the event is claimed by another replica after claimIdle and handled there with deliveryCount 2',
    async () => {
      cluster = new ChaosCluster();
      const leader = await cluster.start();
      const firstEpoch = leader.of('gained').at(-1)?.epoch as number;
      cluster.startLoad();
      await cluster.handledAfter(0, 20);

      await cluster.userEvent('ChaosSlow', cluster.tag);
      const started = await until(
        'the slow handler started on a replica',
        () =>
          cluster.replicas
            .map((replica) => ({
              replica,
              report: replica.of('slowStarted').find((s) => s.marker === cluster.tag),
            }))
            .find(({ report }) => report !== undefined) as
            | { replica: ChaosReplica; report: { eventId: string; deliveryCount: number; at: number } }
            | undefined,
        20_000,
      );
      const wasLeader = started.replica === leader;
      const killedAt = started.replica.signal('SIGKILL');
      const handled = await until(
        'the slow event handled by another replica',
        () =>
          cluster.replicas
            .filter((replica) => replica !== started.replica)
            .flatMap((replica) => replica.of('slowHandled').map((report) => ({ replica, report })))
            .find(({ report }) => report.marker === cluster.tag),
        CLAIM_IDLE * 5 + 10_000,
      );
      const load = await cluster.stopLoad();
      const ledger = await cluster.settleLedger();
      const gaps = cluster.gaps().filter((gap) => gap.epoch > firstEpoch);
      const slowDeliveries = cluster.replicas.flatMap((replica) =>
        replica.of('slowStarted').filter((s) => s.marker === cluster.tag),
      );

      const figures = {
        killedWasLeader: wasLeader,
        claimedAfterMs: handled.report.at - killedAt,
        claimIdle: CLAIM_IDLE,
        deliveryCount: handled.report.deliveryCount,
        sameEventId: handled.report.eventId === started.report.eventId,
        slowDeliveries: slowDeliveries.length,
        lost: ledger.lost.length,
        steadyDuplicates: ledger.publishedTwice.length + ledger.deliveredTwice.length,
        redeliveredHangups: ledger.redelivered.length,
        hung: load.hung,
      };
      console.log(
        `cluster chaos kill mid-handler (${wasLeader ? 'the leader' : 'a follower'}): claimed and handled ` +
          `${figures.claimedAfterMs} ms after the kill (claimIdle ${CLAIM_IDLE}), deliveryCount ` +
          `${figures.deliveryCount}, same eventId ${figures.sameEventId}, deliveries ${figures.slowDeliveries}, ` +
          `lost ${figures.lost}/${ledger.observed} Hangups, steady duplicates ${figures.steadyDuplicates}, ` +
          `Hangups redelivered ${figures.redeliveredHangups}, originates ${load.sent} settled, hung ${load.hung}`,
      );
      recordFigures('cluster chaos: kill a replica mid-handler', figures);

      expect(started.report.deliveryCount).toBe(1);
      expect(handled.report).toMatchObject({ deliveryCount: 2, eventId: started.report.eventId });
      expect(figures.claimedAfterMs).toBeGreaterThanOrEqual(CLAIM_IDLE - 1_000);
      expect(slowDeliveries).toHaveLength(2);
      // Nothing lost unless the killed one led, and then only inside the reported gap.
      if (!wasLeader) expect(ledger.lost).toEqual([]);
      expect(cluster.worstGapMiss(ledger.lost, gaps)).toBeLessThanOrEqual(GAP_CLOCK_SLACK_MS);
      expect(ledger.publishedTwice).toEqual([]);
      expect(ledger.deliveredTwice).toEqual([]);
      for (const { eventId } of ledger.redelivered)
        expect(entryTime(eventId)).toBeLessThanOrEqual(killedAt + 50);
      expect(load.hung).toBe(0);
    },
    TEST_TIMEOUT,
  );
});
