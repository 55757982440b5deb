import { LEADER_GROUP } from '../cluster-keys.js';
import { decodeStreamEntry } from '../stream-entry.js';
import { AckingConsumerBase } from './acking-consumer-base.js';
import type { BlockingConnection } from './blocking-connection.js';
import { errorMessage, runHandler } from './handler-outcome.js';
import { deliveryCountsOfPendingReply, entriesOfReadReply, type RawStreamEntry } from './redis-replies.js';
import type { AmiAckingConsumerOptions } from './stream-consumer.types.js';
import { positiveInteger } from './stream-consumer-base.js';

/** The one consumer name of the leader group: whichever replica leads reads under it. */
export const LEADER_CONSUMER = 'leader';

export interface AmiLeaderConsumerOptions extends AmiAckingConsumerOptions {
  /** The consumer group (default LEADER_GROUP). */
  readonly group?: string;
  /** Pause before running a failed handler again, times the attempt number, ms (default 100). */
  readonly retryDelay?: number;
}

/**
 * `leader` delivery: ordered, one consumer at a time. Whoever knows leadership calls start() on gaining it
 * and stop() on losing it; the consumer reads the leader group under one shared name (LEADER_CONSUMER), so
 * a new leader inherits what the last one left pending. It first re-reads those pending entries (ID 0, in
 * stream order, delivery count from XPENDING + 1), then new ones (`>`). Handlers run one at a time in
 * stream order; each entry is acknowledged as soon as its handler settles, so after a failover the next
 * leader continues after the last acknowledged event, and at most the events whose acknowledgement was in
 * flight are handled twice.
 *
 * A failed handler is run again in place (the order must hold) after retryDelay × attempt, up to
 * maxDeliveries runs, then the event goes to the dead-letter stream and is acknowledged.
 */
export class AmiLeaderConsumer extends AckingConsumerBase {
  private readonly retryDelay: number;
  private readingPending = true;

  constructor(options: AmiLeaderConsumerOptions) {
    const group = options.group ?? LEADER_GROUP;
    super(options, `leader consumer of ${group}`, group, LEADER_CONSUMER);
    this.retryDelay = positiveInteger('retryDelay', options.retryDelay, 100);
  }

  override async start(): Promise<void> {
    this.readingPending = true;
    await super.start();
  }

  protected override async step(reader: BlockingConnection): Promise<void> {
    const lost = this.groupLost;
    await this.beforeRead();
    if (lost) this.readingPending = false; // a recreated group has nothing pending
    if (this.readingPending) {
      await this.handlePending(reader);
      return;
    }
    if (this.stopping) return;
    const reply = await this.readGroup(reader, '>', this.blockMs);
    const entries = entriesOfReadReply(reply);
    if (entries.length === 0) return;
    this.noteSeen(entries[entries.length - 1][0]);
    await this.handleInOrder(entries, undefined);
  }

  /** What the previous leader left pending: delivery counts first, then the entries, oldest first. */
  private async handlePending(reader: BlockingConnection): Promise<void> {
    const counts = deliveryCountsOfPendingReply(
      await this.redis.call('XPENDING', this.stream, this.group, '-', '+', this.batchSize, this.consumer),
    );
    if (counts.size === 0) {
      this.readingPending = false;
      return;
    }
    const entries = entriesOfReadReply(await this.readGroup(reader, '0', null));
    if (entries.length === 0) {
      this.readingPending = false;
      return;
    }
    for (const [id, count] of counts) counts.set(id, count + 1);
    await this.handleInOrder(entries, counts);
    // The next XREADGROUP 0 must not see these again: their acknowledgements go out first.
    await this.flushDeadLetters();
    await this.flushAcks();
  }

  private async handleInOrder(
    entries: readonly RawStreamEntry[],
    deliveries: Map<string, number> | undefined,
  ): Promise<void> {
    for (const [id, fields] of entries) {
      if (this.stopping) return; // the rest stays pending for the next leader
      const event = fields === null ? null : decodeStreamEntry(id, fields);
      if (event === null || fields === null) {
        this.ack(id);
        continue;
      }
      let deliveryCount = deliveries?.get(id) ?? 1;
      for (let attempt = 1; ; attempt += 1) {
        this.counts.delivered += 1;
        const outcome = await runHandler(this.handler, event, { eventId: id, deliveryCount });
        if (outcome.ok) {
          this.ack(id);
          break;
        }
        this.counts.failed += 1;
        if (deliveryCount >= this.maxDeliveries) {
          this.giveUp(id, fields, deliveryCount, outcome.error);
          await this.flushDeadLetters();
          break;
        }
        this.log.debug(
          `${this.group} consumer: handler failed on event ${id} (delivery ${deliveryCount} of ` +
            `${this.maxDeliveries}), running it again: ${errorMessage(outcome.error)}`,
        );
        await this.pause(this.retryDelay * attempt);
        if (this.stopping) return;
        deliveryCount += 1;
      }
    }
  }
}
