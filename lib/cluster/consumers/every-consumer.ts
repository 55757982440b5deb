import { type AmiStreamGap, decodeGapEntry, decodeStreamEntry } from '../stream-entry.js';
import type { BlockingConnection } from './blocking-connection.js';
import { errorMessage, type HandlerOutcome, runHandler } from './handler-outcome.js';
import { compareStreamIds, entriesOfReadReply } from './redis-replies.js';
import type { AmiStreamConsumerOptions } from './stream-consumer.types.js';
import { StreamConsumerBase } from './stream-consumer-base.js';

/** How many entries figures() counts at most for the lag of an `every` consumer. */
const LAG_COUNT_LIMIT = 10_000;

export interface AmiEveryConsumerOptions extends AmiStreamConsumerOptions {
  /** Called for each gap marker read (the leader appends one at each login of its event session). */
  readonly onGap?: (gap: AmiStreamGap) => void;
}

/**
 * `every` delivery: each replica reads every event with plain XREAD, no group, nothing acknowledged. The
 * events of a packed entry go to the handler one by one, in order, each with its own eventId.
 *
 * Where it starts: at the stream's last entry when start() is called (`$`, resolved to an ID then): a new
 * or restarted replica handles the events appended after it subscribed, never the retained history. Those
 * handlers keep replica-local state (caches, websockets), which a restarted replica rebuilds from the PBX;
 * replaying minutes of old events into it would be wrong, not safer. A handler that fails is logged and
 * not run again (there is no one else to run it).
 *
 * After a Redis error, if the stream is gone or its last ID is below the last one read (a Redis restart
 * without persistence whose new IDs went back in time), reading restarts at the new stream's beginning.
 */
export class AmiEveryConsumer extends StreamConsumerBase {
  private lastId = '0-0';
  private checkReset = false;
  private readonly onGap: ((gap: AmiStreamGap) => void) | undefined;

  constructor(options: AmiEveryConsumerOptions) {
    super(options, 'every consumer');
    this.onGap = options.onGap;
  }

  /** The ID after which this consumer reads (for tests and figures). */
  get position(): string {
    return this.lastId;
  }

  protected override async prepare(): Promise<void> {
    this.lastId = (await this.lastStreamId()) ?? '0-0';
  }

  protected override async step(reader: BlockingConnection): Promise<void> {
    if (this.checkReset) {
      const last = await this.lastStreamId();
      if (last === undefined || compareStreamIds(last, this.lastId) < 0) this.lastId = '0-0';
      this.checkReset = false;
    }
    let reply: unknown;
    try {
      reply = await reader.read('XREAD', [
        'COUNT',
        this.batchSize,
        'BLOCK',
        this.blockMs,
        'STREAMS',
        this.stream,
        this.lastId,
      ]);
    } catch (error) {
      this.checkReset = true;
      throw error;
    }
    const entries = entriesOfReadReply(reply);
    if (entries.length === 0) return;
    this.lastId = entries[entries.length - 1][0];
    let waiting: Promise<void>[] | undefined;
    for (const [id, fields] of entries) {
      const events = fields === null ? null : decodeStreamEntry(id, fields);
      if (events === null) {
        if (fields !== null) this.announceGap(id, fields);
        continue;
      }
      for (const event of events) {
        this.counts.delivered += 1;
        const outcome = runHandler(this.handler, event, { eventId: event.id, deliveryCount: 1 });
        if (outcome instanceof Promise) {
          waiting ??= [];
          waiting.push(outcome.then((settled) => this.settle(event.id, settled)));
        } else this.settle(event.id, outcome);
      }
    }
    // Bounded memory: the next batch waits for this one's handlers.
    if (waiting !== undefined) await Promise.all(waiting);
  }

  protected override async measureLag(): Promise<number | undefined> {
    const after = await this.redis.call(
      'XRANGE',
      this.stream,
      `(${this.lastId}`,
      '+',
      'COUNT',
      LAG_COUNT_LIMIT,
    );
    return Array.isArray(after) ? after.length : undefined;
  }

  private announceGap(id: string, fields: readonly string[]): void {
    const gap = this.onGap === undefined ? null : decodeGapEntry(id, fields);
    if (gap === null || this.onGap === undefined) return;
    try {
      this.onGap(gap);
    } catch (error) {
      this.log.warn(`every consumer: the gap listener failed on ${id}: ${errorMessage(error)}`);
    }
  }

  private settle(id: string, outcome: HandlerOutcome): void {
    if (outcome.ok) return;
    this.counts.failed += 1;
    this.log.warn(`every consumer: handler failed on event ${id}: ${errorMessage(outcome.error)}`);
  }

  private async lastStreamId(): Promise<string | undefined> {
    const last = await this.redis.call('XREVRANGE', this.stream, '+', '-', 'COUNT', 1);
    if (!Array.isArray(last)) return undefined;
    if (last.length === 0) {
      // Empty, or missing: an empty stream that once had entries still has a last-generated-id.
      const exists = await this.redis.call('EXISTS', this.stream);
      if (Number(exists) === 0) return undefined;
      const info = await this.redis.call('XINFO', 'STREAM', this.stream);
      if (!Array.isArray(info)) return undefined;
      const at = info.indexOf('last-generated-id');
      return at >= 0 ? String(info[at + 1]) : undefined;
    }
    return String((last[0] as unknown[])[0]);
  }
}
