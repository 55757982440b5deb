import { LEADER_GROUP } from '../cluster-keys.js';
import { type AmiStreamEvent, decodeStreamEntry } from '../stream-entry.js';
import { AckingConsumerBase } from './acking-consumer-base.js';
import type { BlockingConnection } from './blocking-connection.js';
import { DONE_EVENTS_MIN_TTL, type DoneEvents, readDoneEvents, recordDoneEvents } from './done-events.js';
import { errorMessage, runHandler } from './handler-outcome.js';
import { deliveryCountsOfPendingReply, entriesOfReadReply, type RawStreamEntry } from './redis-replies.js';
import type { AmiAckingConsumerOptions } from './stream-consumer.types.js';
import { positiveInteger } from './stream-consumer-base.js';

/** The one consumer name of the leader group: whichever replica leads reads under it. */
export const LEADER_CONSUMER = 'leader';

/** The entries a previous leader left pending: their next delivery counts and done sets. */
interface Pending {
  readonly counts: ReadonlyMap<string, number>;
  readonly done: DoneEvents;
}

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
 * stream order, delivery count from XPENDING + 1), then new ones (`>`). Handlers run one at a time, entry
 * by entry and, in a packed entry, event by event; each entry is acknowledged as soon as the handler of its
 * last event settles, so after a failover the next leader continues after the last acknowledged entry.
 * A stop() in the middle of a packed entry records the events already handled in the entry's done set
 * (done-events.ts), which the next leader reads with the pending entries and skips: a clean handover
 * repeats no event. After a crash, the events of the entry in hand and of those whose acknowledgement was
 * in flight are handled again.
 *
 * A failed handler is run again in place (the order must hold) after retryDelay × attempt, up to
 * maxDeliveries runs, then the event alone goes to the dead-letter stream and the entry's next event runs.
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

  /** What the previous leader left pending: delivery counts and done sets first, then the entries, oldest first. */
  private async handlePending(reader: BlockingConnection): Promise<void> {
    const counts = deliveryCountsOfPendingReply(
      await this.redis.call('XPENDING', this.stream, this.group, '-', '+', this.batchSize, this.consumer),
    );
    if (counts.size === 0) {
      this.readingPending = false;
      return;
    }
    const done = await readDoneEvents(this.redis, this.stream, counts.keys());
    const entries = entriesOfReadReply(await this.readGroup(reader, '0', null));
    if (entries.length === 0) {
      this.readingPending = false;
      return;
    }
    for (const [id, count] of counts) counts.set(id, count + 1);
    await this.handleInOrder(entries, { counts, done });
    // The next XREADGROUP 0 must not see these again: their acknowledgements go out first.
    await this.flushDeadLetters();
    await this.flushAcks();
  }

  private async handleInOrder(
    entries: readonly RawStreamEntry[],
    pending: Pending | undefined,
  ): Promise<void> {
    for (const [id, fields] of entries) {
      if (this.stopping) return; // the rest stays pending for the next leader
      const events = fields === null ? null : decodeStreamEntry(id, fields);
      if (events === null) {
        this.ack(id);
        continue;
      }
      const done = pending?.done.get(id);
      const deliveryCount = pending?.counts.get(id) ?? 1;
      const handled: number[] = [];
      for (const event of events) {
        if (done?.has(event.index)) continue;
        if (this.stopping || !(await this.handleEvent(event, deliveryCount))) {
          // Stopped mid-entry: the next leader skips what this one handled.
          await recordDoneEvents(this.redis, this.stream, new Map([[id, handled]]), DONE_EVENTS_MIN_TTL);
          return;
        }
        handled.push(event.index);
      }
      this.ack(id, done !== undefined);
    }
  }

  /**
   * Runs the handler until it succeeds or the event is dead-lettered (true), or stop() comes during a
   * retry (false: the event is not done).
   */
  private async handleEvent(event: AmiStreamEvent, firstDelivery: number): Promise<boolean> {
    let deliveryCount = firstDelivery;
    for (let attempt = 1; ; attempt += 1) {
      this.counts.delivered += 1;
      const outcome = await runHandler(this.handler, event, { eventId: event.id, deliveryCount });
      if (outcome.ok) return true;
      this.counts.failed += 1;
      if (deliveryCount >= this.maxDeliveries) {
        this.giveUp([{ event, deliveries: deliveryCount, error: outcome.error }], undefined);
        await this.flushDeadLetters();
        return true;
      }
      this.log.debug(
        `${this.group} consumer: handler failed on event ${event.id} (delivery ${deliveryCount} of ` +
          `${this.maxDeliveries}), running it again: ${errorMessage(outcome.error)}`,
      );
      if (this.stopping) return false;
      await this.pause(this.retryDelay * attempt);
      if (this.stopping) return false;
      deliveryCount += 1;
    }
  }
}
