import type { AmiEvent } from '../../protocol/ami-message.js';

/** Passed to @OnAmiEvent handlers after the event: where it came from. */
export interface AmiEventMeta {
  /** The connection that received it (`default` for the unnamed one). */
  connection: string;
  /** True when it answers one of this connection's actions (a list item, an OriginateResponse). */
  fromAction: boolean;
  actionId?: string;
}

/**
 * What `@Inject(REQUEST)` gives a request-scoped (or durable) provider whose handler is running: one
 * object, and one DI context, per dispatched event.
 */
export interface AmiEventRequest extends AmiEventMeta {
  event: AmiEvent;
}
