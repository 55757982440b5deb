import type { Redis } from 'ioredis';
import type { AmiLogger } from '../../client/ami-client.types.js';
import type { AmiStreamEvent } from '../stream-entry.js';

/** What a handler learns about the delivery besides the event. */
export interface AmiStreamDelivery {
  /**
   * The event ID (AmiStreamEvent.id: its stream entry's ID, `<entry ID>#<index>` in a packed entry): the
   * same on every delivery of this event, so a handler can be idempotent.
   */
  readonly eventId: string;
  /** 1 on the first delivery; 2 and more when the event is delivered again after a fault or a failure. */
  readonly deliveryCount: number;
}

/**
 * A handler run by a stream consumer, once per event; the event is done when its result settles fulfilled
 * (its entry is acknowledged when all its events are).
 */
export type AmiStreamHandler = (event: AmiStreamEvent, meta: AmiStreamDelivery) => unknown;

/** Options every consumer takes. */
export interface AmiStreamConsumerOptions {
  /** The client to use: commands go through it, blocking reads through a duplicate() of it. */
  readonly redis: Redis;
  /** The events stream (clusterKeys(...).events). */
  readonly stream: string;
  readonly handler: AmiStreamHandler;
  /** Entries read per round trip (default 100: up to 3,200 events once the leader packs them, the most one read holds in memory). */
  readonly batchSize?: number;
  /** How long a read waits for new entries, ms (default 1,000). Bounds how long stop() may wait for it. */
  readonly blockMs?: number;
  /** How long stop() waits for handlers in flight before it gives up on them, ms (default 10,000). */
  readonly stopTimeout?: number;
  readonly logger?: AmiLogger;
}

/** Options of the consumers that acknowledge (once, leader). */
export interface AmiAckingConsumerOptions extends AmiStreamConsumerOptions {
  /** The dead-letter stream (clusterKeys(...).deadLetters). */
  readonly deadLetterStream: string;
  /** Deliveries before an event whose handler keeps failing goes to the dead-letter stream (default 5). */
  readonly maxDeliveries?: number;
  /** Entries kept in the dead-letter stream, approximately (default 10,000). */
  readonly deadLetterRetention?: number;
}

/** Counters since start(). */
export interface AmiConsumerCounters {
  /** Handler runs, one per event (a redelivery counts again). */
  readonly delivered: number;
  /** Stream entries acknowledged (all their events handled or dead-lettered, or not an event entry). */
  readonly acked: number;
  /** Handler runs that threw or rejected. */
  readonly failed: number;
  /** Stream entries taken over from another consumer (or this one) after they sat idle. */
  readonly claimed: number;
  /** Events moved to the dead-letter stream (one dead-letter entry each). */
  readonly deadLettered: number;
}

/** Where a consumer stands. */
export interface AmiConsumerFigures extends AmiConsumerCounters {
  /**
   * Entries not yet handled: for a group, Redis's `lag` (entries not yet delivered to the group) plus its
   * pending entries (delivered, not acknowledged); for `every`, entries appended after the last one read.
   * Undefined when Redis does not answer within a second or cannot tell.
   */
  readonly lag: number | undefined;
}

/** The common face of the three consumers. */
export interface AmiStreamConsumer {
  /** Starts reading; resolves once the group (if any) exists and the start position is fixed. */
  start(): Promise<void>;
  /**
   * Stops reading, waits for handlers in flight (at most stopTimeout), acknowledges what they finished and
   * closes the connection it created. Never rejects.
   */
  stop(): Promise<void>;
  /** The counters, synchronously. */
  counters(): AmiConsumerCounters;
  /** The counters and the lag, which asks Redis. Never rejects. */
  figures(): Promise<AmiConsumerFigures>;
}
