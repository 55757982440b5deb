import type { AmiClient } from '../client/ami-client.js';
import type { AmiClientOptions, AmiLogger } from '../client/ami-client.types.js';
import type { AmiEvent } from '../protocol/ami-message.js';

/** Cluster mode's public types: the options, what the sinks receive, the lifecycle, the figures. */

/**
 * An ioredis client the application already has. Typed by its shape, not by ioredis's own declarations,
 * so the type checks of applications without cluster mode never need ioredis installed.
 */
export interface AmiRedisClient {
  readonly status: string;
  duplicate(): unknown;
}

/** A Redis URL (`redis://`, `rediss://`) or an ioredis client the application already has. */
export type AmiRedisSource = string | AmiRedisClient;

/** How an event handler is run in cluster mode: by one replica, by every replica, or by the leader in order. */
export type AmiDelivery = 'once' | 'every' | 'leader';

export interface AmiClusterOptions {
  /** A Redis URL (`redis://`, `rediss://`) or an ioredis client the application already has (never closed by us). */
  redis: AmiRedisSource;
  /** The application: each group gets every event, independently. No braces, no spaces. */
  group: string;
  /** Lease length, ms; renewed every third of it. Bounds the failover time. Default 5 000 (at least 300). */
  leaseTtl?: number;
  /**
   * Entries the events stream keeps (MAXLEN ~). An entry holds one event, or up to 32 of one burst: the
   * stream always keeps at least this many events for replicas that fall behind, and during a storm up to
   * 32 times as many. Default 100 000.
   */
  retention?: number;
  /**
   * Events the leader holds in memory while Redis is away (disconnected, failing, or no answer for 2 s);
   * beyond, dropped, counted, logged. Default 10 000. While Redis answers, events wait at its pace, up to
   * bufferBytes.
   */
  bufferLimit?: number;
  /**
   * Events (their AMI frames, bytes of UTF-8) the leader holds in memory at most, Redis away or merely slower
   * than Asterisk; beyond, dropped, counted, logged. Default 64 MiB.
   */
  bufferBytes?: number;
  /** ms an event stays pending on a dead replica before another claims it. Default 30 000. */
  claimIdle?: number;
  /** Deliveries of a failing event before it goes to the dead-letter stream. Default 5. */
  maxDeliveries?: number;
  /** Prefix of every Redis key. Default `nestjs-ami`. No braces, no spaces. */
  keyPrefix?: string;
  /**
   * ms the leader's AMI event session may stay logged out (after the election, or after losing its
   * session) before the leader resigns and lets another replica lead. Default 15 000 (at least 100).
   */
  eventSessionTimeout?: number;
  /**
   * ms a handler of the Nest module (once, leader, every) may take on one event; past it the delivery counts
   * as failed (not acknowledged: retried, then dead-lettered), a warning names the handler and the event
   * ID, and the consumer moves on (the handler is not cancelled). Keep it below `claimIdle`. Default
   * 30 000. `AmiClusterNode` alone does not use it: its sinks are the caller's.
   */
  handlerTimeout?: number;
  /** Health: the group is down when its `once` lag (events not yet handled) is above this. Default 10 000. */
  maxLag?: number;
}

/** What a sink learns about a stream delivery besides the event. */
export interface AmiClusterDelivery {
  /**
   * The event ID (its stream entry's ID, `<entry ID>#<index>` in a packed entry): the same on every
   * delivery of this event (idempotent handlers key on it).
   */
  eventId: string;
  /** 1 on the first delivery; more when the event is delivered again after a fault or a failure. */
  deliveryCount: number;
  delivery: AmiDelivery;
}

/** Resolves when the handlers settled; rejects when one failed (then the event is not done: retried). */
export type AmiClusterEventSink = (event: AmiEvent, delivery: AmiClusterDelivery) => Promise<void> | void;

export type AmiClusterLifecycleEvent =
  | { kind: 'leadershipGained'; epoch: number }
  | { kind: 'leadershipLost'; reason: string }
  /**
   * Events Asterisk emitted between `from` (ms: the `at` of the stream's last entry before the new term,
   * null when the stream was empty) and `to` (ms: the new leader's login) were not seen by any replica.
   * Reaches every replica (through the `every` reader).
   */
  | { kind: 'eventGap'; from: number | null; to: number; epoch: number };

/** Counters of this replica since start(). */
export interface AmiClusterStats {
  /** Entries this replica appended to the stream while it led (events, and one gap marker per login). */
  published: number;
  /** Events lost by this replica's publisher: buffer full, or superseded by another leader. */
  dropped: number;
  /** Events the fence refused (this replica no longer held the lease). */
  refused: number;
  /** Events waiting in memory for Redis. */
  buffered: number;
  /** Sink runs, all delivery modes (a redelivery counts again). */
  delivered: number;
  /** Entries acknowledged (once and leader). */
  acked: number;
  /** Sink runs that rejected or threw. */
  failed: number;
  /** Entries taken over from a dead or stalled replica. */
  claimed: number;
  /** Entries moved to the dead-letter stream. */
  deadLettered: number;
}

export interface AmiClusterSinks {
  /**
   * Every event on this replica (observers, caches). Given, the `every` reader runs from start(); else
   * none runs (Redis serves each event once less per replica) until AmiClusterNode.readEvery().
   */
  every?: AmiClusterEventSink;
  once?: AmiClusterEventSink;
  leader?: AmiClusterEventSink;
  lifecycle?: (event: AmiClusterLifecycleEvent) => void;
}

export interface AmiClusterNodeParams {
  /** The AMI connection's name: part of the Redis keys. */
  connection: string;
  /** This replica's action client (connected by the caller); gets the ActionID Filter after each login. */
  client: AmiClient;
  /** To open the leader's event session (all events, ActionID prefix `<prefix>ev-`). */
  clientOptions: AmiClientOptions;
  cluster: AmiClusterOptions;
  logger?: AmiLogger;
  sinks: AmiClusterSinks;
}
