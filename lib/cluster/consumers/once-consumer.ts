import { ONCE_GROUP } from '../cluster-keys.js';
import { decodeStreamEntry } from '../stream-entry.js';
import { AckingConsumerBase } from './acking-consumer-base.js';
import type { BlockingConnection } from './blocking-connection.js';
import { uniqueConsumerName } from './consumer-name.js';
import { removeConsumerIfIdle, sweepIdleConsumers } from './consumer-sweep.js';
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

/**
 * `once` delivery: every replica is a consumer of the application's group, so each event goes to one of
 * them. A batch is read with one XREADGROUP, its handlers run side by side, and each entry is acknowledged
 * when its handler settles fulfilled (acknowledgements batched). A failed entry stays pending.
 *
 * Who claims, and when: every live consumer, at start and then every claimInterval, runs XAUTOCLAIM for
 * entries pending longer than claimIdle, whoever holds them (a consumer that died, that stopped before its
 * handler settled, or whose handler failed). A claimed entry is handed to the handler again with the same
 * eventId and the delivery count Redis keeps (2 or more). So a dead replica's events are handled again
 * between claimIdle and claimIdle + claimInterval after their delivery. While a handler runs longer than
 * claimIdle / 3, its consumer resets the entry's idle time (XCLAIM JUSTID), so a slow live handler is not
 * taken over. An entry whose handler failed on its maxDeliveries-th delivery, or that comes back past that
 * count, goes to the dead-letter stream and is acknowledged: never retried forever.
 *
 * Names: a clean stop() removes this consumer from the group when it holds nothing; the claim passes
 * remove consumers that hold nothing and were silent for consumerIdleTimeout (replicas that died).
 */
export class AmiOnceConsumer extends AckingConsumerBase {
  readonly name: string;
  private readonly claimIdle: number;
  private readonly claimInterval: number;
  private readonly consumerIdleTimeout: number;
  private nextClaimAt = 0;
  private nextSweepAt = 0;

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
  }

  protected override async step(reader: BlockingConnection): Promise<void> {
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
    await this.flushDeadLetters();
  }

  /** A clean stop leaves no name behind in the group, unless it still holds entries (others claim them). */
  protected override async afterLoop(): Promise<void> {
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
          `${this.group} consumer ${this.consumer}: ${reply.deletedIds.length} pending events were trimmed ` +
            'from the stream before any consumer handled them',
        );
      }
      if (reply.entries.length > 0) {
        this.counts.claimed += reply.entries.length;
        const deliveries = await this.deliveryCounts(reply.entries);
        const retry: RawStreamEntry[] = [];
        for (const entry of reply.entries) {
          const count = deliveries.get(entry[0]) ?? 2;
          if (count > this.maxDeliveries && entry[1] !== null) {
            this.giveUp(
              entry[0],
              entry[1],
              count - 1,
              `not acknowledged after ${count - 1} deliveries (its consumer died or stopped mid-handler)`,
            );
          } else retry.push(entry);
        }
        await this.handleBatch(retry, deliveries);
        await this.flushDeadLetters();
      }
      cursor = reply.cursor;
      if (cursor === '0-0') break;
    }
  }

  /** The delivery count of each claimed entry, in one round trip (claims are rare: faults only). */
  private async deliveryCounts(entries: readonly RawStreamEntry[]): Promise<Map<string, number>> {
    const pipeline = this.redis.pipeline();
    for (const [id] of entries) pipeline.call('XPENDING', this.stream, this.group, id, id, 1);
    const results = (await pipeline.exec()) ?? [];
    const counts = new Map<string, number>();
    entries.forEach(([id], index) => {
      const [error, reply] = results[index] ?? [];
      const count = error ? undefined : deliveryCountOfPendingReply(reply);
      if (count !== undefined) counts.set(id, count);
    });
    return counts;
  }

  /** Runs the handler for each entry (side by side), acks each as it succeeds; resolves when all settled. */
  private async handleBatch(
    entries: readonly RawStreamEntry[],
    deliveries: Map<string, number> | undefined,
  ): Promise<void> {
    let waiting: Promise<void>[] | undefined;
    let inFlight: Set<string> | undefined;
    for (const [id, fields] of entries) {
      const event = fields === null ? null : decodeStreamEntry(id, fields);
      if (event === null || fields === null) {
        // Deleted meanwhile, or not an event: nothing to handle, nothing to keep pending.
        this.ack(id);
        continue;
      }
      const deliveryCount = deliveries?.get(id) ?? (deliveries === undefined ? 1 : 2);
      this.counts.delivered += 1;
      const outcome = runHandler(this.handler, event, { eventId: id, deliveryCount });
      if (outcome instanceof Promise) {
        waiting ??= [];
        inFlight ??= new Set();
        inFlight.add(id);
        const pending = inFlight;
        waiting.push(
          outcome.then((settled) => {
            pending.delete(id);
            this.settle(id, fields, deliveryCount, settled);
          }),
        );
      } else this.settle(id, fields, deliveryCount, outcome);
    }
    if (waiting === undefined || inFlight === undefined) return;
    const stopHeartbeat = this.keepClaimed(inFlight);
    try {
      await Promise.all(waiting);
    } finally {
      stopHeartbeat();
    }
  }

  private settle(
    id: string,
    fields: readonly string[],
    deliveryCount: number,
    outcome: HandlerOutcome,
  ): void {
    if (outcome.ok) {
      this.ack(id);
      return;
    }
    this.counts.failed += 1;
    if (deliveryCount >= this.maxDeliveries) {
      this.giveUp(id, fields, deliveryCount, outcome.error);
      return;
    }
    this.log.debug(
      `${this.group} consumer ${this.consumer}: handler failed on event ${id} (delivery ${deliveryCount} of ` +
        `${this.maxDeliveries}), delivered again after ${this.claimIdle} ms: ${errorMessage(outcome.error)}`,
    );
  }

  /** Resets the idle time of entries whose handlers still run, until they settle or stop() is called. */
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
