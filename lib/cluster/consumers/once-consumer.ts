import { ONCE_GROUP } from '../cluster-keys.js';
import { type AmiStreamEvent, decodeStreamEntry } from '../stream-entry.js';
import { AckingConsumerBase } from './acking-consumer-base.js';
import type { BlockingConnection } from './blocking-connection.js';
import { uniqueConsumerName } from './consumer-name.js';
import { removeConsumerIfIdle, sweepIdleConsumers } from './consumer-sweep.js';
import {
  type DoneEvents,
  doneEventsKey,
  doneEventsTtl,
  doneIndicesOfReply,
  recordDoneEvents,
} from './done-events.js';
import { EntryRun } from './entry-run.js';
import { errorMessage, type HandlerOutcome, runHandler } from './handler-outcome.js';
import {
  deliveryCountOfPendingReply,
  entriesOfReadReply,
  parseAutoClaimReply,
  type RawStreamEntry,
} from './redis-replies.js';
import type { AmiAckingConsumerOptions } from './stream-consumer.types.js';
import { positiveInteger } from './stream-consumer-base.js';

export interface AmiOnceConsumerOptions extends AmiAckingConsumerOptions {
  /** The consumer group (default ONCE_GROUP); one per application. */
  readonly group?: string;
  /** This consumer's name in the group (default: hostname:pid:random, unique per process). */
  readonly consumerName?: string;
  /** An entry pending this long (ms) without an ack is taken over by a live consumer (default 30,000). */
  readonly claimIdle?: number;
  /** How often (ms) this consumer looks for such entries (default claimIdle / 2). */
  readonly claimInterval?: number;
  /**
   * A consumer of the group that holds nothing and has not read for this long (ms) is removed from the
   * group by the claim passes (default 3,600,000): dead replicas' names do not pile up.
   */
  readonly consumerIdleTimeout?: number;
}

/** Claimed entries: their delivery counts (from XPENDING) and done sets. */
interface Redelivery {
  readonly counts: ReadonlyMap<string, number>;
  readonly done: DoneEvents;
}

/**
 * `once` delivery: every replica is a consumer of the application's group, so each event goes to one of
 * them. A batch is read with one XREADGROUP, the handlers of its events run side by side, and each entry
 * is acknowledged when the handlers of all its events settled fulfilled (acknowledgements batched). An
 * entry with a failed event stays pending.
 *
 * Packed entries (several events in one): each event is handled on its own, with its own eventId. When
 * some events of an entry fail and others succeed, the indices of those that succeeded go to the entry's
 * done set (a Redis set, see done-events.ts) and its next delivery runs only the others. Only this failure
 * path costs Redis commands: an entry whose events all succeed is acknowledged as before.
 *
 * Who claims, and when: every live consumer, at start and then every claimInterval, runs XAUTOCLAIM for
 * entries pending longer than claimIdle, whoever holds them (a consumer that died, that stopped before its
 * handlers settled, or whose handler failed). The events of a claimed entry (less its done ones) are handed
 * to the handler again with the same eventIds and the delivery count Redis keeps for the entry (2 or more).
 * So a dead replica's events are handled again between claimIdle and claimIdle + claimInterval after
 * their delivery. While a handler runs longer than claimIdle / 3, its consumer resets the idle time of its
 * entry (XCLAIM JUSTID), so a slow live handler is not taken over. An event whose handler failed on its
 * entry's maxDeliveries-th delivery, or whose entry comes back past that count, goes alone to the
 * dead-letter stream and counts as done: never retried forever.
 *
 * Names: a clean stop() removes this consumer from the group when it holds nothing; the claim passes
 * remove consumers that hold nothing and were silent for consumerIdleTimeout (replicas that died).
 */
export class AmiOnceConsumer extends AckingConsumerBase {
  readonly name: string;
  private readonly claimIdle: number;
  private readonly claimInterval: number;
  private readonly consumerIdleTimeout: number;
  private readonly doneTtl: number;
  private nextClaimAt = 0;
  private nextSweepAt = 0;
  /** Done indices of entries left pending, to write before the next read. */
  private doneRecords = new Map<string, number[]>();

  constructor(options: AmiOnceConsumerOptions) {
    const group = options.group ?? ONCE_GROUP;
    const name = options.consumerName ?? uniqueConsumerName();
    super(options, `once consumer ${name}`, group, name);
    this.name = name;
    this.claimIdle = positiveInteger('claimIdle', options.claimIdle, 30_000);
    this.claimInterval = positiveInteger(
      'claimInterval',
      options.claimInterval,
      Math.max(1, Math.floor(this.claimIdle / 2)),
    );
    this.consumerIdleTimeout = positiveInteger('consumerIdleTimeout', options.consumerIdleTimeout, 3_600_000);
    this.doneTtl = doneEventsTtl(this.claimIdle, this.maxDeliveries);
  }

  protected override async step(reader: BlockingConnection): Promise<void> {
    await this.flushDoneRecords();
    await this.beforeRead();
    if (Date.now() >= this.nextClaimAt) {
      await this.claimIdleEntries();
      this.nextClaimAt = Date.now() + this.claimInterval;
    }
    if (Date.now() >= this.nextSweepAt) {
      const removed = await sweepIdleConsumers(
        this.redis,
        this.stream,
        this.group,
        this.consumerIdleTimeout,
        this.consumer,
      );
      if (removed > 0)
        this.log.log(`${this.group} consumer ${this.consumer}: removed ${removed} idle consumers`);
      this.nextSweepAt = Date.now() + Math.max(this.claimInterval, Math.floor(this.consumerIdleTimeout / 10));
    }
    if (this.stopping) return;
    const block = Math.max(1, Math.min(this.blockMs, this.nextClaimAt - Date.now()));
    const reply = await this.readGroup(reader, '>', block);
    const entries = entriesOfReadReply(reply);
    if (entries.length === 0) return;
    this.noteSeen(entries[entries.length - 1][0]);
    await this.handleBatch(entries, undefined);
    await this.flushDoneRecords();
    await this.flushDeadLetters();
  }

  /** A clean stop leaves no name behind in the group, unless it still holds entries (others claim them). */
  protected override async afterLoop(): Promise<void> {
    try {
      await this.flushDoneRecords();
    } catch {
      // Those events run again on the entries' next delivery.
    }
    await super.afterLoop();
    try {
      await removeConsumerIfIdle(this.redis, this.stream, this.group, this.consumer);
    } catch {
      // Left for the claim passes of the others to sweep.
    }
  }

  private async claimIdleEntries(): Promise<void> {
    let cursor = '0-0';
    // A bounded pass: what is left waits for the next one, reading new entries must go on meanwhile.
    for (let round = 0; round < 10 && !this.stopping; round += 1) {
      const reply = parseAutoClaimReply(
        await this.redis.call(
          'XAUTOCLAIM',
          this.stream,
          this.group,
          this.consumer,
          this.claimIdle,
          cursor,
          'COUNT',
          this.batchSize,
        ),
      );
      if (reply.deletedIds.length > 0) {
        this.log.warn(
          `${this.group} consumer ${this.consumer}: ${reply.deletedIds.length} pending entries were trimmed ` +
            'from the stream before any consumer handled them',
        );
      }
      if (reply.entries.length > 0) {
        this.counts.claimed += reply.entries.length;
        await this.handleBatch(reply.entries, await this.redelivery(reply.entries));
        await this.flushDoneRecords();
        await this.flushDeadLetters();
      }
      cursor = reply.cursor;
      if (cursor === '0-0') break;
    }
  }

  /** The delivery counts and done sets of claimed entries, in one round trip (claims are rare: faults only). */
  private async redelivery(entries: readonly RawStreamEntry[]): Promise<Redelivery> {
    const pipeline = this.redis.pipeline();
    for (const [id] of entries) pipeline.call('XPENDING', this.stream, this.group, id, id, 1);
    for (const [id] of entries) pipeline.call('SMEMBERS', doneEventsKey(this.stream, id));
    const results = (await pipeline.exec()) ?? [];
    const counts = new Map<string, number>();
    const done = new Map<string, ReadonlySet<number>>();
    entries.forEach(([id], index) => {
      const [countError, countReply] = results[index] ?? [];
      const count = countError ? undefined : deliveryCountOfPendingReply(countReply);
      if (count !== undefined) counts.set(id, count);
      const [doneError, doneReply] = results[entries.length + index] ?? [];
      const indices = doneError ? undefined : doneIndicesOfReply(doneReply);
      if (indices !== undefined) done.set(id, indices);
    });
    return { counts, done };
  }

  /**
   * Runs the handler for each event of each entry (side by side), acks each entry once all its events
   * settled; resolves when all settled. `redelivery`: the entries were claimed.
   */
  private async handleBatch(
    entries: readonly RawStreamEntry[],
    redelivery: Redelivery | undefined,
  ): Promise<void> {
    let waiting: Promise<void>[] | undefined;
    let inFlight: Set<string> | undefined;
    for (const [id, fields] of entries) {
      const events = fields === null ? null : decodeStreamEntry(id, fields);
      if (events === null) {
        // Deleted meanwhile, or not an event: nothing to handle, nothing to keep pending.
        this.ack(id);
        continue;
      }
      const done = redelivery?.done.get(id);
      const deliveryCount = redelivery === undefined ? 1 : (redelivery.counts.get(id) ?? 2);
      const run = new EntryRun(id, deliveryCount, done !== undefined);
      for (const event of events) {
        if (done?.has(event.index)) continue;
        run.started();
        if (deliveryCount > this.maxDeliveries) {
          run.giveUp(
            event,
            deliveryCount - 1,
            `not acknowledged after ${deliveryCount - 1} deliveries (its consumer died or stopped mid-handler)`,
          );
          continue;
        }
        this.counts.delivered += 1;
        const outcome = runHandler(this.handler, event, { eventId: event.id, deliveryCount });
        if (outcome instanceof Promise) {
          waiting ??= [];
          inFlight ??= new Set();
          inFlight.add(id);
          const pending = inFlight;
          waiting.push(
            outcome.then((settled) => {
              if (this.settle(run, event, settled) && !run.retrying) pending.delete(id);
            }),
          );
        } else this.settle(run, event, outcome);
      }
      if (run.launched()) {
        this.finish(run);
        if (run.retrying) {
          inFlight ??= new Set();
          inFlight.add(id);
        }
      }
    }
    if (waiting === undefined || inFlight === undefined) return;
    const stopHeartbeat = this.keepClaimed(inFlight);
    try {
      await Promise.all(waiting);
    } finally {
      stopHeartbeat();
    }
  }

  /** One event's outcome; true when it was its entry's last to settle (the entry is then finished). */
  private settle(run: EntryRun, event: AmiStreamEvent, outcome: HandlerOutcome): boolean {
    let last: boolean;
    if (outcome.ok) last = run.succeed(event.index);
    else {
      this.counts.failed += 1;
      if (run.deliveryCount >= this.maxDeliveries) {
        last = run.giveUp(event, run.deliveryCount, outcome.error);
      } else {
        this.log.debug(
          `${this.group} consumer ${this.consumer}: handler failed on event ${event.id} (delivery ` +
            `${run.deliveryCount} of ${this.maxDeliveries}), delivered again after ${this.claimIdle} ms: ` +
            errorMessage(outcome.error),
        );
        last = run.fail();
      }
    }
    if (last) this.finish(run);
    return last;
  }

  /**
   * All events of an entry settled: it is acknowledged (after its dead letters), or, if one is to run
   * again, left pending with the others recorded as done.
   */
  private finish(run: EntryRun): void {
    if (run.retrying) {
      const indices = run.doneIndices();
      if (indices.length > 0) this.doneRecords.set(run.entryId, indices);
      this.giveUp(run.givenUp, undefined);
    } else if (run.givenUp.length > 0) {
      this.giveUp(run.givenUp, { entryId: run.entryId, forgetDone: run.hadDone });
    } else this.ack(run.entryId, run.hadDone);
  }

  /** Writes the done sets of the entries left pending; they must be there before anyone claims them. */
  private async flushDoneRecords(): Promise<void> {
    if (this.doneRecords.size === 0) return;
    const records = this.doneRecords;
    this.doneRecords = new Map();
    try {
      await recordDoneEvents(this.redis, this.stream, records, this.doneTtl);
    } catch (error) {
      for (const [id, indices] of records) {
        if (!this.doneRecords.has(id)) this.doneRecords.set(id, indices);
      }
      throw error;
    }
  }

  /**
   * Resets the idle time of the batch's entries whose handlers still run, and of those left pending (their
   * done sets are written after the batch: no one may claim them before), until the batch settled or
   * stop() is called.
   */
  private keepClaimed(inFlight: Set<string>): () => void {
    const timer = setInterval(
      () => {
        if (this.stopping || inFlight.size === 0) {
          clearInterval(timer);
          return;
        }
        this.redis
          .call('XCLAIM', this.stream, this.group, this.consumer, 0, ...inFlight, 'JUSTID')
          .catch(() => undefined);
      },
      Math.max(1, Math.floor(this.claimIdle / 3)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }
}
