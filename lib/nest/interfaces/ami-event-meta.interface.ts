import type { AmiDelivery } from '../../cluster/cluster.types.js';
import type { AmiEvent } from '../../protocol/ami-message.js';

/** Passed to @OnAmiEvent handlers after the event: where it came from. */
export interface AmiEventMeta {
  /** The connection that received it (`default` for the unnamed one). */
  connection: string;
  /** True when it answers one of this connection's actions (a list item, an OriginateResponse). */
  fromAction: boolean;
  actionId?: string;
  /**
   * Cluster mode only: the event ID (its stream entry's ID, `<entry ID>#<index>` in a packed entry), the
   * same on every delivery of this event (for idempotence).
   */
  eventId?: string;
  /** Cluster mode only: 1 on the first delivery, more when the event is delivered again after a failure. */
  deliveryCount?: number;
  /** Cluster mode only: the delivery mode this run belongs to. */
  delivery?: AmiDelivery;
}

/**
 * What `@Inject(REQUEST)` gives a request-scoped (or durable) provider whose handler is running: one
 * object, and one DI context, per dispatched event.
 */
export interface AmiEventRequest extends AmiEventMeta {
  event: AmiEvent;
}
