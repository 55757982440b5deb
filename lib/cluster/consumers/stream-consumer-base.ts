import type { Redis } from 'ioredis';
import { type AmiLogSink, silentLogger, toLogSink } from '../../client/ami-logger.js';
import { BlockingConnection } from './blocking-connection.js';
import { ConsumerCounters } from './consumer-counters.js';
import { errorMessage } from './handler-outcome.js';
import { isNoGroupError } from './redis-replies.js';
import { RetryDelay, WakeableSleep } from './retry-delay.js';
import type {
  AmiConsumerCounters,
  AmiConsumerFigures,
  AmiStreamConsumer,
  AmiStreamConsumerOptions,
  AmiStreamHandler,
} from './stream-consumer.types.js';

/** How long figures() waits for Redis to tell the lag, ms. */
export const FIGURES_TIMEOUT = 1_000;

export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * The read loop the three consumers share: one step() at a time until stop(); a Redis error never leaves
 * the loop: NOGROUP (the stream or group vanished with a Redis restart) marks the group lost for the
 * next step to recreate, anything else (connection lost, Redis loading) backs off 100 ms → 5 s and retries.
 * One warning when trouble starts, one line when it ends.
 */
export abstract class StreamConsumerBase implements AmiStreamConsumer {
  protected readonly redis: Redis;
  protected readonly stream: string;
  protected readonly handler: AmiStreamHandler;
  protected readonly batchSize: number;
  protected readonly blockMs: number;
  protected readonly stopTimeout: number;
  protected readonly log: AmiLogSink;
  protected readonly counts = new ConsumerCounters();
  protected stopping = false;
  /** Set on NOGROUP; the next step recreates the group before it reads. */
  protected groupLost = false;

  private reader: BlockingConnection | undefined;
  private loop: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private readonly sleeper = new WakeableSleep();
  private readonly retry = new RetryDelay();

  protected constructor(
    options: AmiStreamConsumerOptions,
    private readonly description: string,
  ) {
    if (options.redis === null || typeof options.redis?.duplicate !== 'function') {
      throw new TypeError(`${description}: redis must be an ioredis client`);
    }
    if (typeof options.stream !== 'string' || options.stream === '') {
      throw new TypeError(`${description}: stream must be a non-empty string`);
    }
    if (typeof options.handler !== 'function')
      throw new TypeError(`${description}: handler must be a function`);
    this.redis = options.redis;
    this.stream = options.stream;
    this.handler = options.handler;
    this.batchSize = positiveInteger('batchSize', options.batchSize, 100);
    this.blockMs = positiveInteger('blockMs', options.blockMs, 1_000);
    this.stopTimeout = positiveInteger('stopTimeout', options.stopTimeout, 10_000);
    this.log = toLogSink(options.logger ?? silentLogger);
  }

  /** Creates the group if needed and fixes where reading starts; a Redis error rejects start(). */
  protected abstract prepare(): Promise<void>;
  /** One round: read a batch and handle it. */
  protected abstract step(reader: BlockingConnection): Promise<void>;
  /** Entries not yet handled (see AmiConsumerFigures.lag). */
  protected abstract measureLag(): Promise<number | undefined>;
  /** After the loop ended in stop(): acknowledge what finished. Must not reject. */
  protected async afterLoop(): Promise<void> {}

  async start(): Promise<void> {
    if (this.loop !== undefined) return;
    this.starting ??= this.begin().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async begin(): Promise<void> {
    this.stopping = false;
    this.groupLost = false;
    await this.prepare();
    this.reader = new BlockingConnection(this.redis, this.redis);
    this.loop = this.run(this.reader);
  }

  async stop(): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => undefined);
    const loop = this.loop;
    const reader = this.reader;
    if (loop === undefined || reader === undefined) return;
    this.stopping = true;
    this.sleeper.wake();
    void reader.interrupt();
    // A read CLIENT UNBLOCK missed (its connection ID unknown after a reconnect) ends when closed.
    const closeLate = setTimeout(() => reader.close(), this.blockMs + 250);
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      loop.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), this.stopTimeout);
      }),
    ]);
    clearTimeout(timer);
    clearTimeout(closeLate);
    reader.close();
    if (!finished) {
      this.log.warn(
        `${this.description}: still busy after ${this.stopTimeout} ms (handlers, or a command waiting for ` +
          'Redis); stopped without them: unacknowledged events stay pending and are delivered again',
      );
    }
    this.loop = undefined;
    this.reader = undefined;
  }

  counters(): AmiConsumerCounters {
    return this.counts.snapshot();
  }

  /** The lag is asked of Redis for at most FIGURES_TIMEOUT ms (a client may queue commands while down). */
  async figures(): Promise<AmiConsumerFigures> {
    let timer: NodeJS.Timeout | undefined;
    const lag = await Promise.race([
      this.measureLag().catch(() => undefined),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), FIGURES_TIMEOUT);
      }),
    ]);
    clearTimeout(timer);
    return { ...this.counts.snapshot(), lag };
  }

  /** Sleeps unless stop() comes first. */
  protected pause(ms: number): Promise<void> {
    return this.sleeper.sleep(ms);
  }

  private async run(reader: BlockingConnection): Promise<void> {
    while (!this.stopping) {
      try {
        await this.step(reader);
        if (this.retry.failing) {
          this.retry.reset();
          this.log.log(`${this.description}: Redis answers again; reading on`);
        }
      } catch (error) {
        if (this.stopping) break;
        const noGroup = isNoGroupError(error);
        if (noGroup) this.groupLost = true;
        const first = !this.retry.failing;
        if (first) {
          this.log.warn(
            noGroup
              ? `${this.description}: the stream or its group is gone (Redis restarted?); recreating it`
              : `${this.description}: Redis error, retrying with backoff: ${errorMessage(error)}`,
          );
        }
        const delay = this.retry.next();
        // The first NOGROUP is answered at once: recreating the group is the cure, not waiting.
        if (!(noGroup && first)) await this.sleeper.sleep(delay);
      }
    }
    await this.afterLoop();
  }
}
