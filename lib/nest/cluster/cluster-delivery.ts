import type { AmiClusterDelivery, AmiDelivery } from '../../cluster/cluster.types.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import type { AmiDispatcher, DeliveryOutcome } from '../dispatch/ami-dispatcher.js';
import type { AmiEventMeta } from '../interfaces/ami-event-meta.interface.js';

/** An AmiClusterEventSink that always answers with a promise. */
type Sink = (event: AmiEvent, delivery: AmiClusterDelivery) => Promise<void>;

/**
 * The cluster node's sinks for one connection: each hands a stream entry to the dispatcher's handlers of
 * its delivery mode and returns a promise that resolves when they settled, and rejects when one failed,
 * so the entry is not acknowledged (retried, then dead-lettered).
 */
export class ClusterDelivery {
  constructor(private readonly dispatcher: AmiDispatcher) {}

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
    const outcome: DeliveryOutcome = { failed: 0 };
    const runs = this.dispatcher.runDelivery(mode, event, this.meta(delivery), outcome);
    return this.settle(runs, outcome, event);
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

  /** Resolves when the runs settled (they never reject), rejects when a handler of them failed. */
  private async settle(runs: Promise<void>[], outcome: DeliveryOutcome, event: AmiEvent): Promise<void> {
    if (runs.length > 0) await Promise.all(runs);
    if (outcome.failed > 0) {
      throw new Error(
        `AMI ${this.dispatcher.connection}: ${outcome.failed} handler(s) failed on ${event.Event}`,
      );
    }
  }
}
