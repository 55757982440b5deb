import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AmiLogger } from '../client/ami-client.types.js';
import { type AmiLogSink, silentLogger, toLogSink } from '../client/ami-logger.js';
import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiClusterKeys } from './cluster-keys.js';
import { eventFrame } from './event-frames.js';
import { FrameSlabs } from './frame-slabs.js';
import type { AmiLeaseHold } from './leadership.js';
import { appendStreamEntries } from './publish-entries.js';
import { PublishQueue } from './publish-queue.js';
import { type PublishOutcome, publishEvents, readPublishOutcome } from './publish-script.js';

export const DEFAULT_RETENTION = 100_000;
export const DEFAULT_BUFFER_LIMIT = 10_000;
export const DEFAULT_BATCH_LIMIT = 500;
/** Events of one burst packed into one stream entry, at most. */
export const DEFAULT_PACK_LIMIT = 32;
/** Script calls on their way at once. */
export const DEFAULT_PIPELINE = 4;
/** Calls waiting and none answered for this long (ms): Redis is away, not merely busy; bufferLimit applies. */
export const DEFAULT_STALL_TIMEOUT = 2_000;
/** Bytes of events (their AMI frames, UTF-8) the leader holds at most, Redis away or not. */
export const DEFAULT_BUFFER_BYTES = 64 * 1024 * 1024;
/** A gap marker's frame: the script writes the marker. */
const NO_BYTES = Buffer.alloc(0);

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
  /**
   * Events held in memory while Redis is away (disconnected, an error, no lease, or no answer for
   * stallTimeout ms);
   * beyond, new events are dropped. Default 10,000. While Redis answers, only bufferBytes bounds the wait.
   */
  readonly bufferLimit?: number;
  /** Events per script call, at most. Default 500. */
  readonly batchLimit?: number;
  /** Events per stream entry, at most (stream-entry.ts: packed entries). Default 32. */
  readonly packLimit?: number;
  /** Script calls on their way at once (each fenced, chained to the one before). Default 4. */
  readonly pipeline?: number;
  /** ms with calls waiting and none answered before Redis counts as away. Default 2,000. */
  readonly stallTimeout?: number;
  /** Bytes of events (their AMI frames, UTF-8) waiting, at most, whatever Redis does. Default 64 MiB. */
  readonly bufferBytes?: number;
  readonly logger?: AmiLogger;
}

export interface AmiPublisherStats {
  /** Events (and gap markers) appended to the stream by this replica. */
  readonly published: number;
  /** Events lost: the buffer was full, or they predate another leader's entries. */
  readonly dropped: number;
  /** Events in batches the fence refused (this replica no longer held the lease); they stay buffered. */
  readonly refused: number;
  /** Events waiting in memory (those on their way included). */
  readonly buffered: number;
}

/** One script call: the first `count` waiting events after those of the batches before it. */
interface BatchSpec {
  readonly count: number;
  readonly hold: AmiLeaseHold;
  /** The tag of the batch it follows ('' for the first of a chain, checked by `expected` instead). */
  readonly previous: string;
  readonly expected: string;
  readonly tag: string;
}

interface Batch extends BatchSpec {
  settled: boolean;
  outcome: PublishOutcome | { readonly kind: 'error'; readonly error: unknown } | undefined;
}

/**
 * The leader's side of the events stream. Events are queued and appended in order, those of one burst
 * in one fenced script call (publish-script.ts): nothing is appended unless this replica's token holds
 * the lease. Up to `pipeline` calls are on their way at once; each names the batch before it, and the
 * script appends nothing unless that batch is the stream's tail, so a lost or failed call never leaves
 * a hole, and one sent again after a lost reply is recognised (at most one copy lands).
 *
 * Memory: while Redis is away (disconnected, an error, no lease, or calls waiting and none answered for
 * stallTimeout ms)
 * events wait up to `bufferLimit`, then new ones are dropped and counted (one log line per burst). While
 * Redis answers but takes events slower than they come, they wait at Redis's pace: only `bufferBytes`
 * (bytes of frames) bounds that wait. Events left from an earlier term are appended when this replica
 * leads again, unless another leader wrote to the stream since (they would land after its entries).
 */
export class AmiEventPublisher {
  private readonly redis: Redis;
  private readonly keys: AmiClusterKeys;
  private readonly leadership: AmiLeaseHolder;
  private readonly retention: number;
  private readonly bufferLimit: number;
  private readonly batchLimit: number;
  private readonly packLimit: number;
  private readonly pipeline: number;
  private readonly stallTimeout: number;
  private readonly bufferBytes: number;
  private readonly log: AmiLogSink;
  private readonly queue = new PublishQueue();
  private readonly slabs = new FrameSlabs();
  /** How many of the first waiting events were received in an earlier term. */
  private carriedOver = 0;
  /** The stream's last entry as this replica last saw it ('' before its first append). */
  private lastId = '';
  /** Calls on their way, in the order sent. */
  private batches: Batch[] = [];
  /** Answered, not known to have landed (an error, or the batch before was missing), in order. */
  private unconfirmed: Batch[] = [];
  /** To send again as they were (same tags) before anything new. */
  private retry: BatchSpec[] = [];
  /** Waiting events covered by batches on their way or unconfirmed. */
  private sentCount = 0;
  /** The tag of the last batch sent in this term; null: the next one starts a chain (checked by ID). */
  private chain: string | null = null;
  private tagSeq = 0;
  /**
   * Batches of an earlier term that were sent and never confirmed (their replies lost): by tag, how many of
   * the first waiting items are in the stream if that batch is its last entry. Found there when this replica
   * leads again, they are confirmed instead of their events being taken for another leader's leftovers.
   */
  private readonly landedIfTail = new Map<string, number>();
  /**
   * Makes this publisher's batch tags its own: after a Redis restart without persistence the epoch counter
   * starts again at 1, so two leaders could otherwise both write `1:5` and one mistake the other's batch for
   * its own when it checks whether a call whose reply was lost landed.
   */
  private readonly tagPrefix = randomBytes(4).toString('hex');
  private term = 0;
  /** Elected again: once the calls of the earlier term are answered, the queue is re-examined. */
  private newTerm = false;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = 0;
  /** When a call was last answered, or the first of those waiting sent (performance.now()). */
  private lastAnswerAt = 0;
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
    this.packLimit = atLeast('packLimit', options.packLimit ?? DEFAULT_PACK_LIMIT, 1);
    this.pipeline = atLeast('pipeline', options.pipeline ?? DEFAULT_PIPELINE, 1);
    this.stallTimeout = atLeast('stallTimeout', options.stallTimeout ?? DEFAULT_STALL_TIMEOUT, 1);
    this.bufferBytes = atLeast('bufferBytes', options.bufferBytes ?? DEFAULT_BUFFER_BYTES, 1);
    this.log = toLogSink(options.logger ?? silentLogger);
    this.unsubscribe = this.leadership.on('elected', () => {
      this.term++;
      this.newTerm = true;
      this.retryDelay = 0;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.schedule();
    });
  }

  get stats(): AmiPublisherStats {
    return { ...this.counts, buffered: this.length };
  }

  private get length(): number {
    return this.queue.length;
  }

  /** Queues one event for the stream; `receivedAt` is when the leader received it (ms since the epoch). */
  publish(event: AmiEvent, receivedAt: number = Date.now()): void {
    if (this.stopped) return;
    const frame = this.slabs.encode(eventFrame(event));
    if (this.queue.bytes + frame.length > this.bufferBytes) {
      this.drop(
        `${Math.round(this.queue.bytes / 1024 / 1024)} MiB of events wait for Redis (${this.keys.events}), ` +
          'which takes them slower than they come; dropping new events until it catches up',
      );
      return;
    }
    if (this.length >= this.bufferLimit && this.redisAway()) {
      this.drop(
        `${this.bufferLimit} events wait for Redis (${this.keys.events}); dropping new events until it takes them`,
      );
      return;
    }
    this.queue.push({ kind: 'event', frame, at: Math.floor(receivedAt), term: this.term });
    this.schedule();
  }

  /**
   * Queues a gap marker, in order with the events: the leader's event session logged in at `loginAt`
   * (ms since the epoch) and nothing before it was seen. Fenced like the events; never dropped for a full
   * buffer (one per login).
   */
  publishGap(loginAt: number = Date.now()): void {
    if (this.stopped) return;
    this.queue.push({ kind: 'gap', frame: NO_BYTES, at: Math.floor(loginAt), term: this.term });
    this.schedule();
  }

  /** Resolves once nothing waits (or at once when stopped). */
  idle(): Promise<void> {
    if (this.stopped || (this.length === 0 && this.sentCount === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops publishing: waits up to `timeout` ms for the queue to drain; what is left is dropped. Batches
   * still on their way are counted when their replies come: published if appended, else dropped.
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
    this.retry = [];
    this.dropUnsent();
    this.settleIdle();
  }

  /**
   * Redis is away, not merely busy: the connection is down, a call failed, no lease, or calls wait and
   * none was answered for stallTimeout ms. Answers that keep coming, however slowly, mean it is busy.
   */
  private redisAway(): boolean {
    if (this.retryTimer !== undefined || this.unconfirmed.length > 0 || this.retry.length > 0) return true;
    if (this.redis.status !== 'ready' || this.leadership.current() === null) return true;
    return this.batches.length > 0 && performance.now() - this.lastAnswerAt > this.stallTimeout;
  }

  private drop(warning: string): void {
    this.counts.dropped++;
    if (this.droppedInBurst++ === 0) this.log.warn(`cluster: ${warning}`);
  }

  private schedule(): void {
    if (this.scheduled || this.stopped || this.retryTimer !== undefined) return;
    this.scheduled = true;
    // setImmediate: the events of one burst (one socket read) go in one script call.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const hold = this.leadership.current();
    if (hold === null) return; // elected() schedules the next flush
    if (this.newTerm) {
      if (this.batches.length > 0 || this.unconfirmed.length > 0) return; // their replies reschedule
      this.beginTerm();
    }
    while (this.batches.length < this.pipeline) {
      const spec = this.nextBatch(hold);
      if (spec === null) break;
      this.send(spec);
    }
    this.settleIdle();
  }

  /** A new term: the earlier term's gap markers go, what waits is carried over, a new chain starts. */
  private beginTerm(): void {
    this.newTerm = false;
    let covered = 0;
    for (const { tag, count } of this.retry) {
      covered += count;
      this.landedIfTail.set(tag, covered);
    }
    this.retry = [];
    this.chain = null;
    const term = this.term;
    if (this.queue.count((item) => item.kind === 'gap' && item.term < term) > 0) {
      this.queue.filter((item) => item.kind === 'event' || item.term >= term);
      this.landedIfTail.clear(); // the counts no longer match the queue
    }
    this.carriedOver = this.queue.count((item) => item.term < term);
  }

  private nextBatch(hold: AmiLeaseHold): BatchSpec | null {
    const retried = this.retry.shift();
    if (retried !== undefined) return retried;
    if (this.unconfirmed.length > 0) return null; // wait for the calls on their way, then resend
    const unsent = this.length - this.sentCount;
    if (unsent <= 0) return null;
    // The first batch of a chain is checked against the stream's last ID: it is sent alone.
    if (this.batches.length > 0 && (this.chain === null || this.batches[0].hold.epoch !== hold.epoch)) {
      return null;
    }
    const previous = this.chain ?? '';
    const expected =
      previous !== '' ? '' : this.lastId !== '' ? this.lastId : this.carriedOver > 0 ? '0-0' : '';
    return {
      count: Math.min(this.batchLimit, unsent),
      hold,
      previous,
      expected,
      tag: `${this.tagPrefix}:${hold.epoch}:${++this.tagSeq}`,
    };
  }

  private send(spec: BatchSpec): void {
    const { hold } = spec;
    const args: (string | number | Buffer)[] = [
      hold.token,
      hold.epoch,
      this.retention,
      spec.expected,
      spec.previous,
      spec.tag,
      '',
    ];
    args[6] = appendStreamEntries(args, this.queue, this.sentCount, spec.count, this.packLimit);
    const batch: Batch = { ...spec, settled: false, outcome: undefined };
    if (this.batches.length === 0) this.lastAnswerAt = performance.now();
    this.batches.push(batch);
    this.sentCount += spec.count;
    this.chain = spec.tag;
    publishEvents.run(this.redis, [this.keys.lease, this.keys.events, this.keys.gaps], args).then(
      (reply) => this.answered(batch, readOutcome(reply)),
      (error: unknown) => this.answered(batch, { kind: 'error', error }),
    );
  }

  /** Replies are handled in the order the batches were sent, whatever order they settle in. */
  private answered(batch: Batch, outcome: NonNullable<Batch['outcome']>): void {
    batch.settled = true;
    batch.outcome = outcome;
    this.lastAnswerAt = performance.now();
    while (this.batches.length > 0 && this.batches[0].settled) {
      const next = this.batches.shift() as Batch;
      this.onOutcome(next, next.outcome as NonNullable<Batch['outcome']>);
    }
    if (this.batches.length === 0 && this.unconfirmed.length > 0) this.afterFailure();
    if (this.stopped) this.dropUnsent();
    this.settleIdle();
    this.schedule();
  }

  private onOutcome(batch: Batch, outcome: NonNullable<Batch['outcome']>): void {
    switch (outcome.kind) {
      case 'appended':
      case 'already':
        this.reachable();
        // It follows its predecessor in the stream: the unconfirmed ones before it landed too.
        for (const landed of this.unconfirmed.splice(0)) this.confirm(landed);
        this.confirm(batch);
        this.lastId = outcome.lastId;
        return;
      case 'refused':
        this.reachable();
        this.sentCount -= batch.count;
        this.counts.refused += batch.count;
        this.log.warn(
          `cluster: the lease is no longer ours (epoch ${batch.hold.epoch}): ${batch.count} events not published`,
        );
        this.chain = null;
        this.leadership.fenced();
        return;
      case 'unexpected-last':
        this.reachable();
        this.lastId = outcome.lastId;
        this.unconfirmed.push(batch);
        return;
      case 'error':
        this.unconfirmed.push(batch);
        if (!this.unreachableLogged) {
          this.unreachableLogged = true;
          const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
          this.log.warn(`cluster: Redis does not take events (${this.keys.events}): ${message}; buffering`);
        }
        return;
    }
  }

  /**
   * Every call answered, some not known to have landed. If the first of them failed (the reply lost),
   * they are sent again as they were (the script recognises those that landed), after a back-off. If it
   * found another tail than it expected, what waits starts a new chain against the tail just seen; events
   * of an earlier term are dropped then: another leader wrote since, they would land after its entries.
   */
  private afterFailure(): void {
    const failed = this.unconfirmed;
    this.unconfirmed = [];
    for (const batch of failed) this.sentCount -= batch.count;
    if (failed[0].outcome?.kind === 'error') {
      this.retry = failed.map(({ count, hold, previous, expected, tag }) => ({
        count,
        hold,
        previous,
        expected,
        tag,
      }));
      if (this.stopped) return;
      this.retryDelay = Math.min(1_000, Math.max(50, this.retryDelay * 2));
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.schedule();
      }, this.retryDelay);
      return;
    }
    this.chain = null;
    const outcome = failed[0].outcome;
    const landed = outcome?.kind === 'unexpected-last' ? this.landedIfTail.get(outcome.lastTag) : undefined;
    this.landedIfTail.clear();
    if (landed !== undefined) {
      // The tail is a batch of this publisher's earlier term whose reply was lost: it and those before it
      // landed, and nobody wrote since. What follows them goes on after it; nothing is dropped.
      this.remove(landed);
      this.counts.published += landed;
      return;
    }
    const stale = this.carriedOver;
    if (stale > 0) {
      this.remove(stale);
      this.counts.dropped += stale;
      this.log.warn(
        `cluster: ${stale} events received before epoch ${failed[0].hold.epoch} dropped: another leader published since`,
      );
    }
  }

  private confirm(batch: Batch): void {
    this.landedIfTail.clear();
    this.sentCount -= batch.count;
    this.remove(batch.count);
    this.counts.published += batch.count;
    if (this.length === 0 && this.droppedInBurst > 0) {
      this.log.warn(`cluster: ${this.droppedInBurst} events were dropped while Redis could not take them`);
      this.droppedInBurst = 0;
    }
  }

  private reachable(): void {
    this.retryDelay = 0;
    if (this.unreachableLogged) {
      this.unreachableLogged = false;
      this.log.log(`cluster: Redis takes events again (${this.keys.events})`);
    }
  }

  /** Counts as dropped what waits and is not on its way, and forgets it. */
  private dropUnsent(): void {
    this.counts.dropped += this.queue.keepFirst(this.sentCount);
  }

  /** Forgets the first `count` waiting events. */
  private remove(count: number): void {
    this.queue.removeFirst(count);
    this.carriedOver = Math.max(0, this.carriedOver - count);
  }

  private settleIdle(): void {
    if (this.sentCount > 0 || (this.length > 0 && !this.stopped)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function readOutcome(reply: unknown): NonNullable<Batch['outcome']> {
  try {
    return readPublishOutcome(reply);
  } catch (error) {
    return { kind: 'error', error };
  }
}

function atLeast(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`cluster ${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}
