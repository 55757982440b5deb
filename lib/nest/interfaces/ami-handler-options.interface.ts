import type { AmiDelivery } from '../../cluster/cluster.types.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import type { AmiEventMeta } from './ami-event-meta.interface.js';
import type { AmiHandlerErrorHook } from './ami-handler-error.interface.js';
import type { AmiLifecycleKind } from './ami-lifecycle.interface.js';

export interface OnAmiEventOptions<TEvent extends AmiEvent = AmiEvent> {
  /** The connection whose events this handler gets. Default: the unnamed connection. */
  connection?: string;
  /** Only events for which this returns true reach the handler. A filter that throws counts as a failing handler. */
  filter?: (event: TEvent, meta: AmiEventMeta) => boolean;
  /** Told when this handler throws or rejects, instead of the module's `onHandlerError`. */
  onError?: AmiHandlerErrorHook;
  /**
   * Cluster mode only (the module's `cluster` option): which replicas run this handler.
   * - `once` (the default): one replica of the group per event. The event is acknowledged when the
   *   handler settles; if it fails, it is delivered again (`meta.deliveryCount` + 1), so make it
   *   idempotent with `meta.eventId`.
   * - `every`: every replica (in-memory caches, websockets); not retried.
   * - `leader`: one consumer at a time, in stream order, continuing after a failover.
   *
   * Without `cluster` it is accepted and ignored: in one process once, every and leader are the same.
   */
  delivery?: AmiDelivery;
}

/** What one @OnAmiEvent stores on its method. */
export interface AmiEventHandlerMetadata {
  /** As given; matched case-insensitively. `*` matches every event. */
  events: readonly string[];
  options: OnAmiEventOptions;
}

export interface OnAmiLifecycleOptions {
  /** The connection watched. Default: the unnamed connection. */
  connection?: string;
  /** Told when this handler throws or rejects, instead of the module's `onHandlerError`. */
  onError?: AmiHandlerErrorHook;
}

/** What one @OnAmiLifecycle (or a shortcut such as @OnAmiConnected) stores on its method. */
export interface AmiLifecycleHandlerMetadata {
  kinds: readonly AmiLifecycleKind[];
  options: OnAmiLifecycleOptions;
}
