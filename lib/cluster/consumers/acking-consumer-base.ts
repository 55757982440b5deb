import { singleEventFields } from '../stream-entry.js';
import type { BlockingConnection } from './blocking-connection.js';
import { appendDeadLetters, deadLetterFields, type GivenUpEvent } from './dead-letter.js';
import { forgetDoneEvents } from './done-events.js';
import { errorMessage } from './handler-outcome.js';
import { compareStreamIds, groupInfoOf, isBusyGroupError, isNoGroupError } from './redis-replies.js';
import type { AmiAckingConsumerOptions } from './stream-consumer.types.js';
import { positiveInteger, StreamConsumerBase } from './stream-consumer-base.js';

/** What to acknowledge once dead letters are written: their entry, and whether it has a done set. */
export interface AckAfter {
  readonly entryId: string;
  readonly forgetDone: boolean;
}

interface DeadLetter {
  readonly eventId: string;
  readonly fields: readonly string[];
  readonly deliveries: number;
  readonly error: string;
  readonly ackAfter: AckAfter | undefined;
}

/**
 * What the group consumers (once, leader) share: the group's creation and re-creation, acknowledgements
 * sent in batches as handlers settle (an entry's once all its events settled), dead letters (one event
 * each, whether or not its entry was packed), and the lag.
 *
 * A new group starts at `$`: it handles events appended after the first consumer of the group started;
 * the retained history is not replayed into an application that did not exist yet. After NOGROUP (a Redis
 * restart without persistence took the stream and its groups) the group is recreated at the highest
 * entry ID this consumer had seen: the new stream's entries (IDs are times, so higher) are all handled,
 * and if the stream survived and only the group vanished, what this consumer already saw is not replayed.
 */
export abstract class AckingConsumerBase extends StreamConsumerBase {
  protected readonly deadLetterStream: string;
  protected readonly maxDeliveries: number;
  private readonly deadLetterRetention: number;
  /** The highest entry ID this consumer knows the group went past: where a recreated group starts. */
  protected knownId = '0-0';
  private acks: string[] = [];
  /** Entries among `acks` whose done sets go with the acknowledgement. */
  private forgets: string[] = [];
  /** Acknowledgements sent, not yet answered. */
  private acksInFlight = 0;
  private acking: Promise<void> | undefined;
  private ackError: unknown;
  private deadLetters: DeadLetter[] = [];

  protected constructor(
    options: AmiAckingConsumerOptions,
    description: string,
    protected readonly group: string,
    protected readonly consumer: string,
  ) {
    super(options, description);
    if (typeof options.deadLetterStream !== 'string' || options.deadLetterStream === '') {
      throw new TypeError(`${description}: deadLetterStream must be a non-empty string`);
    }
    this.deadLetterStream = options.deadLetterStream;
    this.maxDeliveries = positiveInteger('maxDeliveries', options.maxDeliveries, 5);
    this.deadLetterRetention = positiveInteger('deadLetterRetention', options.deadLetterRetention, 10_000);
  }

  protected override async prepare(): Promise<void> {
    await this.createGroup('$');
    const info = groupInfoOf(await this.redis.call('XINFO', 'GROUPS', this.stream), this.group);
    if (info !== undefined) this.noteSeen(info.lastDeliveredId);
  }

  /** Before each read: a lost group is recreated, then acknowledgements and dead letters go out. */
  protected async beforeRead(): Promise<void> {
    if (this.groupLost) {
      await this.createGroup(this.knownId);
      this.groupLost = false;
      this.log.log(`${this.group} consumer ${this.consumer}: group recreated at ${this.knownId}`);
    }
    await this.flushDeadLetters();
    // The read need not wait for the acknowledgements on their way (one round trip less per batch),
    // unless they pile up (Redis slower to take them than to serve reads): then they are waited for.
    if (this.acks.length + this.acksInFlight > this.batchSize * 2) await this.flushAcks();
    else {
      this.throwAckError();
      this.startAcking(); // those a failed round left queued
    }
  }

  /**
   * One XREADGROUP of this consumer: `>` for entries never delivered, `0` for its own pending ones; `block`
   * ms of waiting, or none when null.
   */
  protected readGroup(reader: BlockingConnection, from: '>' | '0', block: number | null): Promise<unknown> {
    const wait = block === null ? [] : ['BLOCK', block];
    return reader.read('XREADGROUP', [
      'GROUP',
      this.group,
      this.consumer,
      'COUNT',
      this.batchSize,
      ...wait,
      'STREAMS',
      this.stream,
      from,
    ]);
  }

  protected noteSeen(id: string): void {
    if (compareStreamIds(id, this.knownId) > 0) this.knownId = id;
  }

  /**
   * Queues an entry's acknowledgement; those queued in the same tick or while one is in flight go together.
   * `forgetDone`: the entry has a done set, deleted once it is acknowledged.
   */
  protected ack(id: string, forgetDone = false): void {
    this.acks.push(id);
    if (forgetDone) this.forgets.push(id);
    this.startAcking();
  }

  private startAcking(): void {
    if (this.acking !== undefined || this.acks.length === 0) return;
    this.acking = this.drainAcks().finally(() => {
      this.acking = undefined;
      // Queued after the drain's last round, before this callback: not left for the next read.
      if (this.ackError === undefined) this.startAcking();
    });
  }

  /** Waits for queued acknowledgements; rejects with the Redis error if they could not be sent. */
  protected async flushAcks(): Promise<void> {
    if (this.acking !== undefined) await this.acking;
    if (this.acks.length > 0) await this.sendAcks();
    this.throwAckError();
  }

  /** An acknowledgement that failed on its way surfaces in the read loop (its back-off, its log line). */
  private throwAckError(): void {
    if (this.ackError === undefined) return;
    const error = this.ackError;
    this.ackError = undefined;
    throw error;
  }

  /**
   * Queues dead letters, one per event; once they are written, `ackAfter`'s entry is acknowledged (none:
   * the caller acknowledges the entry when its other events are through).
   */
  protected giveUp(events: readonly GivenUpEvent[], ackAfter: AckAfter | undefined): void {
    if (events.length === 0 && ackAfter !== undefined) this.ack(ackAfter.entryId, ackAfter.forgetDone);
    events.forEach(({ event, deliveries, error }, i) => {
      this.deadLetters.push({
        eventId: event.id,
        fields: singleEventFields(event),
        deliveries,
        error: errorMessage(error),
        ackAfter: i === events.length - 1 ? ackAfter : undefined,
      });
    });
  }

  protected async flushDeadLetters(): Promise<void> {
    if (this.deadLetters.length === 0) return;
    const letters = this.deadLetters;
    this.deadLetters = [];
    try {
      await appendDeadLetters(
        this.redis,
        this.deadLetterStream,
        this.deadLetterRetention,
        letters.map((letter) =>
          deadLetterFields(letter.eventId, letter.fields, {
            group: this.group,
            consumer: this.consumer,
            deliveries: letter.deliveries,
            error: letter.error,
          }),
        ),
      );
    } catch (error) {
      this.deadLetters = letters.concat(this.deadLetters);
      throw error;
    }
    for (const letter of letters) {
      this.counts.deadLettered += 1;
      this.log.error(
        `${this.group} consumer ${this.consumer}: event ${letter.eventId} failed ${letter.deliveries} ` +
          `deliveries; moved to ${this.deadLetterStream}: ${letter.error}`,
      );
      if (letter.ackAfter !== undefined) this.ack(letter.ackAfter.entryId, letter.ackAfter.forgetDone);
    }
  }

  protected override async afterLoop(): Promise<void> {
    try {
      await this.flushDeadLetters();
      await this.flushAcks();
    } catch (error) {
      this.log.warn(
        `${this.group} consumer ${this.consumer}: could not acknowledge on stop (${errorMessage(error)}); ` +
          'those events will be delivered again',
      );
    }
  }

  protected override async measureLag(): Promise<number | undefined> {
    const info = groupInfoOf(await this.redis.call('XINFO', 'GROUPS', this.stream), this.group);
    if (info === undefined) return undefined;
    return (info.lag ?? 0) + info.pending;
  }

  private async drainAcks(): Promise<void> {
    // Let the handlers that settle in this tick queue theirs first.
    await Promise.resolve();
    try {
      while (this.acks.length > 0) await this.sendAcks();
    } catch (error) {
      this.ackError = error;
    }
  }

  private async sendAcks(): Promise<void> {
    const ids = this.acks;
    const forgets = this.forgets;
    this.acks = [];
    this.forgets = [];
    this.acksInFlight += ids.length;
    try {
      await this.redis.call('XACK', this.stream, this.group, ...ids);
      this.counts.acked += ids.length;
      await forgetDoneEvents(this.redis, this.stream, forgets);
    } catch (error) {
      // The group is gone, and its pending entries with it: nothing left to acknowledge.
      if (isNoGroupError(error)) return;
      this.acks = ids.concat(this.acks);
      this.forgets = forgets.concat(this.forgets);
      throw error;
    } finally {
      this.acksInFlight -= ids.length;
    }
  }

  private async createGroup(startId: string): Promise<void> {
    try {
      await this.redis.call('XGROUP', 'CREATE', this.stream, this.group, startId, 'MKSTREAM');
    } catch (error) {
      if (!isBusyGroupError(error)) throw error;
    }
  }
}
