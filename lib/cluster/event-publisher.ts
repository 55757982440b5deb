import type { Redis } from 'ioredis';
import type { AmiLogger } from '../client/ami-client.types.js';
import { type AmiLogSink, silentLogger, toLogSink } from '../client/ami-logger.js';
import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiClusterKeys } from './cluster-keys.js';
import type { AmiLeaseHold } from './leadership.js';
import { publishEvents, readPublishOutcome } from './publish-script.js';

export const DEFAULT_RETENTION = 100_000;
export const DEFAULT_BUFFER_LIMIT = 10_000;
export const DEFAULT_BATCH_LIMIT = 500;

/** The publisher's view of the leadership (AmiLeadership fits). */
export interface AmiLeaseHolder {
  current(): AmiLeaseHold | null;
  fenced(): void;
  on(event: 'elected', listener: (epoch: number) => void): () => void;
}

export interface AmiEventPublisherOptions {
  readonly redis: Redis;
  readonly keys: AmiClusterKeys;
  readonly leadership: AmiLeaseHolder;
  /** Entries the stream keeps, about (MAXLEN ~). Default 100,000. */
  readonly retention?: number;
  /** Events held in memory while Redis cannot take them; beyond, new events are dropped. Default 10,000. */
  readonly bufferLimit?: number;
  /** Events per script call, at most. Default 500. */
  readonly batchLimit?: number;
  readonly logger?: AmiLogger;
}

export interface AmiPublisherStats {
  /** Events appended to the stream by this replica. */
  readonly published: number;
  /** Events lost: the buffer was full, or they predate another leader's entries. */
  readonly dropped: number;
  /** Events in batches the fence refused (this replica no longer held the lease); they stay buffered. */
  readonly refused: number;
  /** Events waiting in memory. */
  readonly buffered: number;
}

interface Pending {
  /** An event, or a gap marker (its `from` is filled in by the script, in Redis). */
  readonly kind: 'event' | 'gap';
  readonly json: string;
  readonly at: number;
}

/** A batch whose reply was lost: it may be in the stream. Retried as is, so at most one copy lands. */
interface Uncertain {
  readonly count: number;
  readonly epochs: Set<number>;
}

/**
 * The leader's side of the events stream. Events are buffered and appended in order, those of one burst
 * in one fenced script call (publish-script.ts): nothing is appended unless this replica's token holds
 * the lease. While Redis is away events wait in memory up to `bufferLimit`, then are dropped and counted
 * (one log line per burst). Events left from an earlier term are appended when this replica leads again,
 * unless another leader wrote to the stream since (they would land after its entries, out of order).
 */
export class AmiEventPublisher {
  private readonly redis: Redis;
  private readonly keys: AmiClusterKeys;
  private readonly leadership: AmiLeaseHolder;
  private readonly retention: number;
  private readonly bufferLimit: number;
  private readonly batchLimit: number;
  private readonly log: AmiLogSink;
  private buffer: Pending[] = [];
  /** How many of the first buffered events were received in an earlier term. */
  private carriedOver = 0;
  /** The stream's last entry as this replica last saw it ('' before its first append). */
  private lastId = '';
  private uncertain: Uncertain | null = null;
  private inFlight = false;
  /** Events of the batch on its way (the first buffered ones); 0 when none is. */
  private inFlightCount = 0;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = 0;
  private stopped = false;
  private droppedInBurst = 0;
  private unreachableLogged = false;
  private idleWaiters: (() => void)[] = [];
  private counts = { published: 0, dropped: 0, refused: 0 };
  private readonly unsubscribe: () => void;

  constructor(options: AmiEventPublisherOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.leadership = options.leadership;
    this.retention = atLeast('retention', options.retention ?? DEFAULT_RETENTION, 1);
    this.bufferLimit = atLeast('bufferLimit', options.bufferLimit ?? DEFAULT_BUFFER_LIMIT, 1);
    this.batchLimit = atLeast('batchLimit', options.batchLimit ?? DEFAULT_BATCH_LIMIT, 1);
    this.log = toLogSink(options.logger ?? silentLogger);
    this.unsubscribe = this.leadership.on('elected', () => {
      // A gap marker of an earlier term that never landed: the new term's marker supersedes it.
      this.buffer = this.buffer.filter((entry) => entry.kind === 'event');
      this.carriedOver = this.buffer.length;
      this.retryDelay = 0;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.schedule();
    });
  }

  get stats(): AmiPublisherStats {
    return { ...this.counts, buffered: this.buffer.length };
  }

  /** Queues one event for the stream; `receivedAt` is when the leader received it (ms since the epoch). */
  publish(event: AmiEvent, receivedAt: number = Date.now()): void {
    if (this.stopped) return;
    if (this.buffer.length >= this.bufferLimit) {
      this.counts.dropped++;
      if (this.droppedInBurst++ === 0) {
        this.log.warn(
          `cluster: ${this.bufferLimit} events wait for Redis (${this.keys.events}); dropping new events until it takes them`,
        );
      }
      return;
    }
    this.buffer.push({ kind: 'event', json: JSON.stringify(event), at: receivedAt });
    this.schedule();
  }

  /**
   * Queues a gap marker, in order with the events: the leader's event session logged in at `loginAt`
   * (ms since the epoch) and nothing before it was seen. Fenced like the events; never dropped for a full
   * buffer (one per login).
   */
  publishGap(loginAt: number = Date.now()): void {
    if (this.stopped) return;
    this.buffer.push({ kind: 'gap', json: '', at: Math.floor(loginAt) });
    this.schedule();
  }

  /** Resolves once nothing waits (or at once when stopped). */
  idle(): Promise<void> {
    if (this.stopped || (this.buffer.length === 0 && !this.inFlight)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops publishing: waits up to `timeout` ms for the buffer to drain; what is left is dropped. A batch
   * still on its way is counted when its reply comes: published if it was appended, else dropped.
   */
  async stop(timeout = 2_000): Promise<void> {
    if (this.stopped) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise((resolve) => (timer = setTimeout(resolve, timeout)))]);
    clearTimeout(timer);
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.dropUnsent();
    this.settleIdle();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight || this.stopped || this.retryTimer !== undefined) return;
    this.scheduled = true;
    // setImmediate: the events of one burst (one socket read) go in one script call.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.stopped || this.buffer.length === 0) return this.settleIdle();
    const hold = this.leadership.current();
    if (hold === null) return; // elected() schedules the next flush
    const count = Math.min(this.uncertain?.count ?? this.batchLimit, this.buffer.length);
    const batch = this.buffer.slice(0, count);
    const expected = this.lastId !== '' ? this.lastId : this.carriedOver > 0 || this.uncertain ? '0-0' : '';
    const args: (string | number)[] = [hold.token, hold.epoch, this.retention, expected];
    for (const entry of batch) args.push(entry.kind, entry.json, entry.at);
    this.inFlight = true;
    this.inFlightCount = count;
    try {
      const reply = await publishEvents.run(this.redis, [this.keys.lease, this.keys.events], args);
      this.onReply(readPublishOutcome(reply), count, hold);
    } catch (error) {
      this.onError(error, count, hold);
    } finally {
      this.inFlight = false;
      this.inFlightCount = 0;
    }
    // Stopped while the batch was on its way: it is counted now; nothing is retried.
    if (this.stopped) this.dropUnsent();
    if (this.buffer.length === 0) this.settleIdle();
    else this.schedule();
  }

  /** Counts as dropped what waits and is not on its way, and forgets it. */
  private dropUnsent(): void {
    const unsent = this.buffer.length - this.inFlightCount;
    this.counts.dropped += unsent;
    this.buffer.splice(this.inFlightCount, unsent);
  }

  private onReply(outcome: ReturnType<typeof readPublishOutcome>, count: number, hold: AmiLeaseHold): void {
    this.retryDelay = 0;
    if (this.unreachableLogged) {
      this.unreachableLogged = false;
      this.log.log(`cluster: Redis takes events again (${this.keys.events})`);
    }
    if (outcome.kind === 'appended') {
      this.lastId = outcome.lastId;
      this.uncertain = null;
      this.remove(count);
      this.counts.published += count;
      if (this.buffer.length === 0 && this.droppedInBurst > 0) {
        this.log.warn(`cluster: ${this.droppedInBurst} events were dropped while Redis could not take them`);
        this.droppedInBurst = 0;
      }
      return;
    }
    if (outcome.kind === 'refused') {
      this.counts.refused += count;
      this.log.warn(
        `cluster: the lease is no longer ours (epoch ${hold.epoch}): ${count} events not published`,
      );
      this.leadership.fenced();
      return;
    }
    this.lastId = outcome.lastId;
    if (this.uncertain?.epochs.has(outcome.lastEpoch)) {
      // The batch whose reply was lost had landed: it is the stream's tail.
      this.remove(this.uncertain.count);
      this.counts.published += this.uncertain.count;
      this.uncertain = null;
      return;
    }
    // Another leader wrote since: what is left from an earlier term would land after its entries.
    const stale = Math.max(this.carriedOver, this.uncertain?.count ?? 0);
    this.uncertain = null;
    if (stale > 0) {
      this.remove(stale);
      this.counts.dropped += stale;
      this.log.warn(
        `cluster: ${stale} events received before epoch ${hold.epoch} dropped: another leader published since`,
      );
    }
  }

  private onError(error: unknown, count: number, hold: AmiLeaseHold): void {
    const epochs = this.uncertain?.epochs ?? new Set<number>();
    epochs.add(hold.epoch);
    this.uncertain = { count: this.uncertain?.count ?? count, epochs };
    if (!this.unreachableLogged) {
      this.unreachableLogged = true;
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`cluster: Redis does not take events (${this.keys.events}): ${message}; buffering`);
    }
    if (this.stopped) return;
    this.retryDelay = Math.min(1_000, Math.max(50, this.retryDelay * 2));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.schedule();
    }, this.retryDelay);
  }

  private remove(count: number): void {
    this.buffer.splice(0, count);
    this.carriedOver = Math.max(0, this.carriedOver - count);
  }

  private settleIdle(): void {
    if (this.inFlight || (this.buffer.length > 0 && !this.stopped)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function atLeast(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`cluster ${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}
