import type { AmiClusterDelivery, AmiDelivery } from '../../cluster/cluster.types.js';
import { DEFAULT_HANDLER_TIMEOUT } from '../../cluster/cluster-options.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import type { AmiDispatcher, DeliveryOutcome } from '../dispatch/ami-dispatcher.js';
import type { AmiEventMeta } from '../interfaces/ami-event-meta.interface.js';

/** An AmiClusterEventSink that always answers with a promise. */
type Sink = (event: AmiEvent, delivery: AmiClusterDelivery) => Promise<void>;

/**
 * The cluster node's sinks for one connection: each hands a stream entry to the dispatcher's handlers of
 * its delivery mode and returns a promise that resolves when they settled, and rejects when one failed,
 * so the entry is not acknowledged (retried, then dead-lettered). A handler that has not settled after
 * `handlerTimeout` ms counts as failed: the consumer moves on instead of waiting for it forever (the run
 * itself cannot be cancelled; it goes on, tracked for the shutdown's drain).
 */
export class ClusterDelivery {
  private readonly handlerTimeout: number;

  constructor(
    private readonly dispatcher: AmiDispatcher,
    handlerTimeout: number | undefined = DEFAULT_HANDLER_TIMEOUT,
  ) {
    this.handlerTimeout = handlerTimeout;
  }

  /** Every replica: observers, the event-emitter bridge and the `every` handlers. */
  readonly every: Sink = (event, delivery) => this.deliver('every', event, delivery);

  /** The `once` handlers of an event this replica's group handed to this replica. */
  readonly once: Sink = (event, delivery) => this.deliverReady('once', event, delivery);

  /** The `leader` handlers, one event after the other in stream order. */
  readonly leader: Sink = (event, delivery) => this.deliverReady('leader', event, delivery);

  private deliverReady(mode: AmiDelivery, event: AmiEvent, delivery: AmiClusterDelivery): Promise<void> {
    // Not acknowledged: another replica (or this one, later) gets the event again.
    if (!this.dispatcher.isReady) {
      const why = this.dispatcher.isStopped ? 'stopped' : 'handlers not wired yet';
      return Promise.reject(new Error(`AMI ${this.dispatcher.connection}: not dispatching (${why})`));
    }
    return this.deliver(mode, event, delivery);
  }

  private deliver(mode: AmiDelivery, event: AmiEvent, delivery: AmiClusterDelivery): Promise<void> {
    const outcome: DeliveryOutcome = { failed: 0, pending: [] };
    const runs = this.dispatcher.runDelivery(mode, event, this.meta(delivery), outcome);
    return this.settle(runs, outcome, event, delivery);
  }

  private meta(delivery: AmiClusterDelivery): AmiEventMeta {
    return {
      connection: this.dispatcher.connection,
      fromAction: false,
      eventId: delivery.eventId,
      deliveryCount: delivery.deliveryCount,
      delivery: delivery.delivery,
    };
  }

  /**
   * Resolves when the runs settled (they never reject); rejects when a handler of them failed, or when
   * some had not settled after handlerTimeout.
   */
  private async settle(
    runs: Promise<void>[],
    outcome: DeliveryOutcome,
    event: AmiEvent,
    delivery: AmiClusterDelivery,
  ): Promise<void> {
    const connection = this.dispatcher.connection;
    if (outcome.pending.length > 0) {
      const late = await unsettledAfter(outcome.pending, this.handlerTimeout);
      if (late.length > 0) {
        const names = late.map(({ handler }) => `${handler.className}.${handler.methodName}`).join(', ');
        this.dispatcher.logger.warn(
          `AMI ${connection}: handler ${names} did not settle within ${this.handlerTimeout} ms on ${event.Event} (eventId ${delivery.eventId}, ${delivery.delivery}): counted as failed`,
        );
        throw new Error(
          `AMI ${connection}: ${late.length} handler(s) did not settle within ${this.handlerTimeout} ms on ${event.Event}`,
        );
      }
    }
    // The other runs: synchronous handlers (done) and the reports of those that threw.
    if (runs.length > 0) await Promise.all(runs);
    if (outcome.failed > 0) {
      throw new Error(`AMI ${connection}: ${outcome.failed} handler(s) failed on ${event.Event}`);
    }
  }
}

/** Waits for the runs, at most `ms`; returns those still running then (none when all settled in time). */
async function unsettledAfter<T extends { readonly run: Promise<void> }>(
  runs: readonly T[],
  ms: number,
): Promise<T[]> {
  const running = new Set(runs);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  const settled = Promise.all(runs.map((entry) => entry.run.then(() => running.delete(entry))));
  try {
    await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
  return [...running];
}
