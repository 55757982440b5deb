import { type AmiLogSink, silentLogger, toLogSink } from '../client/ami-logger.js';
import { AmiStoppedError } from '../errors/ami-errors.js';
import { filterActionsOnLogin } from './action-filter.js';
import type {
  AmiClusterEventSink,
  AmiClusterLifecycleEvent,
  AmiClusterNodeParams,
  AmiClusterStats,
  AmiDelivery,
} from './cluster.types.js';
import { AmiRedisError } from './cluster-errors.js';
import { type AmiClusterKeys, clusterKeys, LEADER_GROUP, ONCE_GROUP } from './cluster-keys.js';
import { type ResolvedClusterOptions, resolveClusterOptions } from './cluster-options.js';
import { ensureGroup, groupLag } from './consumer-groups.js';
import { AmiEveryConsumer } from './consumers/every-consumer.js';
import { AmiLeaderConsumer } from './consumers/leader-consumer.js';
import { AmiOnceConsumer } from './consumers/once-consumer.js';
import type { AmiStreamHandler } from './consumers/stream-consumer.types.js';
import { AmiEventPublisher } from './event-publisher.js';
import { LeaderEventSession } from './leader-event-session.js';
import { type AmiDeposedReason, AmiLeadership } from './leadership.js';
import { type AmiRedisConnection, connectRedis } from './redis-connection.js';
import { replicaIdentity } from './replica-identity.js';

const DEFAULT_STOP_TIMEOUT = 10_000;
/** The longest a replica that resigned waits before it tries to lead again. */
const MAX_RESIGN_BACKOFF = 60_000;

interface Running {
  readonly connection: AmiRedisConnection;
  readonly keys: AmiClusterKeys;
  readonly leadership: AmiLeadership;
  readonly publisher: AmiEventPublisher;
  /** The `every` reader; null until something needs it (sinks.every given, or readEvery()). */
  every: AmiEveryConsumer | null;
  /** Reads only the gaps stream, for the eventGap lifecycle (null without a lifecycle sink). */
  readonly gaps: AmiEveryConsumer | null;
  readonly once: AmiOnceConsumer | null;
  readonly leaderConsumer: AmiLeaderConsumer | null;
  readonly unsubscribe: (() => void)[];
}

/**
 * One replica of a cluster, framework-free: the leadership of the group's AMI event session, the leader's
 * event session relayed to the stream (fenced), and the stream read back for the sinks: `every` on each
 * replica, `once` through the group's consumer group, `leader` on the leader only, in order. The action
 * client stays the caller's: the node only filters its session (ActionID Filter) after each login.
 */
export class AmiClusterNode {
  readonly replicaId: string = replicaIdentity();
  private readonly params: AmiClusterNodeParams;
  private readonly options: ResolvedClusterOptions;
  private readonly log: AmiLogSink;
  private running: Running | null = null;
  private starting: Promise<void> | null = null;
  private eventSession: LeaderEventSession | null = null;
  /** start()/stop() of the leader consumer, one after the other: a quick re-election waits for the stop. */
  private leaderConsumerChain: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Resignations since this replica's event session last logged in: each doubles the backoff. */
  private resignations = 0;
  /** The sink of the `every` reader, once something needs it. */
  private everySink: AmiClusterEventSink | undefined;
  private everyStarting: Promise<void> | null = null;

  constructor(params: AmiClusterNodeParams) {
    if (params === null || typeof params !== 'object') throw new TypeError('AmiClusterNode needs its params');
    if (params.sinks === null || typeof params.sinks !== 'object') {
      throw new TypeError('AmiClusterNode: sinks must be an object');
    }
    if (params.sinks.every !== undefined && typeof params.sinks.every !== 'function') {
      throw new TypeError('AmiClusterNode: sinks.every must be a function when given');
    }
    this.options = resolveClusterOptions(params.cluster);
    clusterKeys(this.options.group, params.connection, this.options.keyPrefix);
    this.params = params;
    this.everySink = params.sinks.every;
    this.log = toLogSink(params.logger ?? silentLogger);
  }

  /**
   * Starts the `every` reader now, for `sink` (the first sink given, here or as sinks.every, is the one it
   * serves), unless it runs already. It reads
   * from the stream's end at that moment: what was appended before is not replayed. Called before start(),
   * the reader starts with start(). It runs until stop(). Resolves once it reads (or at once before start()).
   */
  readEvery(sink: AmiClusterEventSink | undefined = this.everySink): Promise<void> {
    if (typeof sink !== 'function') throw new TypeError('AmiClusterNode.readEvery needs a sink function');
    this.everySink ??= sink;
    const running = this.running;
    if (running === null || this.stopped) return Promise.resolve();
    if (running.every !== null) return this.everyStarting ?? Promise.resolve();
    running.every = this.everyReader(running.connection.redis, running.keys);
    const every = running.every;
    this.everyStarting = every
      .start()
      .catch((error: unknown) => {
        this.log.error(`cluster: the every reader could not start: ${messageOf(error)}`);
        if (running.every === every) running.every = null;
      })
      .finally(() => {
        this.everyStarting = null;
      });
    return this.everyStarting;
  }

  /** Redis (AmiRedisError), the consumers, then the leadership. After stop(): AmiStoppedError. */
  start(): Promise<void> {
    if (this.running !== null) return Promise.resolve();
    if (this.stopped) {
      return Promise.reject(
        new AmiStoppedError(
          'AmiClusterNode: start() after stop(); a stopped node cannot restart, create a new one',
        ),
      );
    }
    this.starting ??= this.begin().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Gives the lease back, stops the consumers (bounded), closes the event session and our Redis client. */
  async stop(timeoutMs = DEFAULT_STOP_TIMEOUT): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => undefined);
    const running = this.running;
    if (running === null) return;
    this.running = null;
    // deposed('stopped') runs onDeposed: leadershipLost, the event session closed, the leader consumer stopped
    await running.leadership.stop();
    for (const unsubscribe of running.unsubscribe) unsubscribe();
    this.closeEventSession();
    await within(
      timeoutMs,
      Promise.all([
        running.publisher.stop(Math.min(timeoutMs, 2_000)),
        // deposed('stopped') queued the leader consumer's stop on the chain
        this.leaderConsumerChain,
        running.once?.stop(),
        running.every?.stop(),
        running.gaps?.stop(),
      ]),
    );
    await running.connection.close();
  }

  get role(): 'leader' | 'follower' {
    return this.running?.leadership.isLeader === true ? 'leader' : 'follower';
  }

  get epoch(): number | null {
    return this.running?.leadership.current()?.epoch ?? null;
  }

  /** The lease holder's replica id, read from Redis; null when no one leads (or before start()). */
  async leader(): Promise<string | null> {
    const running = this.running;
    if (running === null) return null;
    return (await running.leadership.leader())?.identity ?? null;
  }

  /**
   * Claims `name` for this replica within the group: `SET <claims>:<name> <replicaId> NX PX <ttlMs>`, so
   * one replica alone gets true, until the key expires. False when another replica holds it, or before
   * start(); rejects when Redis fails.
   */
  async claim(name: string, ttlMs: number): Promise<boolean> {
    if (typeof name !== 'string' || name === '' || /[\s{}]/.test(name)) {
      throw new TypeError(
        `AmiClusterNode.claim needs a name without spaces or braces, got "${String(name)}"`,
      );
    }
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
      throw new TypeError(
        `AmiClusterNode.claim needs a TTL in ms (a positive integer), got ${String(ttlMs)}`,
      );
    }
    const running = this.running;
    if (running === null) return false;
    const key = `${running.keys.claims}:${name}`;
    return (await running.connection.redis.set(key, this.replicaId, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Events not yet handled by the `once` and `leader` groups (0 for a group not created yet). */
  async lag(): Promise<{ once: number; leader: number }> {
    const running = this.running;
    if (running === null) return { once: 0, leader: 0 };
    const { redis } = running.connection;
    const [once, leader] = await Promise.all([
      groupLag(redis, running.keys.events, ONCE_GROUP),
      groupLag(redis, running.keys.events, LEADER_GROUP),
    ]);
    return { once, leader };
  }

  get stats(): AmiClusterStats {
    const running = this.running;
    const stats = emptyClusterStats();
    if (running === null) return stats;
    Object.assign(stats, running.publisher.stats);
    for (const consumer of [running.every, running.once, running.leaderConsumer]) {
      if (consumer === null) continue;
      const counters = consumer.counters();
      stats.delivered += counters.delivered;
      stats.acked += counters.acked;
      stats.failed += counters.failed;
      stats.claimed += counters.claimed;
      stats.deadLettered += counters.deadLettered;
    }
    return stats;
  }

  private async begin(): Promise<void> {
    const { options, params } = this;
    const connection = await connectRedis(options.redis);
    const { redis } = connection;
    const keys = clusterKeys(options.group, params.connection, options.keyPrefix);
    const logger = params.logger;
    const leadership = new AmiLeadership({
      redis,
      keys,
      identity: this.replicaId,
      leaseTtl: options.leaseTtl,
      logger,
    });
    const publisher = new AmiEventPublisher({
      redis,
      keys,
      leadership,
      retention: options.retention,
      bufferLimit: options.bufferLimit,
      bufferBytes: options.bufferBytes,
      logger,
    });
    const stream = keys.events;
    const every = this.everySink === undefined ? null : this.everyReader(redis, keys);
    // Gap markers come from their own small stream: a replica learns of gaps without reading every event.
    const gaps =
      params.sinks.lifecycle === undefined
        ? null
        : new AmiEveryConsumer({
            redis,
            stream: keys.gaps,
            logger,
            handler: () => undefined,
            onGap: (gap) =>
              this.lifecycle({ kind: 'eventGap', from: gap.from, to: gap.to, epoch: gap.epoch }),
          });
    const acking = {
      redis,
      stream,
      logger,
      deadLetterStream: keys.deadLetters,
      maxDeliveries: options.maxDeliveries,
    };
    const once =
      params.sinks.once === undefined
        ? null
        : new AmiOnceConsumer({
            ...acking,
            consumerName: this.replicaId,
            claimIdle: options.claimIdle,
            handler: this.handlerFor('once', params.sinks.once),
          });
    const leaderConsumer =
      params.sinks.leader === undefined
        ? null
        : new AmiLeaderConsumer({ ...acking, handler: this.handlerFor('leader', params.sinks.leader) });
    try {
      if (leaderConsumer !== null) await ensureGroup(redis, stream, LEADER_GROUP);
      await gaps?.start();
      await every?.start();
      await once?.start();
    } catch (error) {
      await Promise.all([gaps?.stop(), every?.stop(), once?.stop()]);
      await publisher.stop(0);
      await connection.close();
      throw new AmiRedisError(
        `cluster: could not start reading ${stream} on ${connection.target}: ${messageOf(error)}`,
        connection.target,
      );
    }
    const running: Running = {
      connection,
      keys,
      leadership,
      publisher,
      every,
      gaps,
      once,
      leaderConsumer,
      unsubscribe: [
        filterActionsOnLogin(params.client, this.log),
        leadership.on('elected', (epoch) => this.onElected(running, epoch)),
        leadership.on('deposed', (reason) => this.onDeposed(running, reason)),
      ],
    };
    this.running = running;
    // readEvery() called while starting, after the readers were made.
    if (every === null && this.everySink !== undefined) void this.readEvery();
    if (this.stopped) {
      // stop() came while starting: it waits for this and then undoes it.
      return;
    }
    leadership.start();
  }

  private onElected(running: Running, epoch: number): void {
    this.lifecycle({ kind: 'leadershipGained', epoch });
    this.closeEventSession();
    this.eventSession = new LeaderEventSession(
      this.params.clientOptions,
      running.leadership,
      running.publisher,
      this.log,
      {
        timeout: this.options.eventSessionTimeout,
        onFailure: (why) => this.resign(running, why),
        onLogin: () => {
          this.resignations = 0;
        },
      },
    );
    this.eventSession.open();
    const consumer = running.leaderConsumer;
    if (consumer !== null) this.chainLeaderConsumer(() => consumer.start());
  }

  private onDeposed(running: Running, reason: AmiDeposedReason): void {
    this.closeEventSession();
    const consumer = running.leaderConsumer;
    if (consumer !== null) this.chainLeaderConsumer(() => consumer.stop());
    this.lifecycle({ kind: 'leadershipLost', reason });
  }

  /**
   * A leader whose event session cannot log in leaves the group deaf: it gives the lease back and keeps
   * away for a while (leaseTtl, doubled at each resignation in a row, at most a minute) so that another
   * replica, maybe one that reaches the PBX, takes over.
   */
  private resign(running: Running, why: string): void {
    if (this.running !== running || !running.leadership.isLeader) return;
    this.resignations += 1;
    const backoff = Math.min(this.options.leaseTtl * 2 ** (this.resignations - 1), MAX_RESIGN_BACKOFF);
    this.log.warn(
      `cluster: ${this.replicaId} resigns the leadership of ${running.keys.lease}: the leader's AMI event session ${why}; it will not try to lead again for ${backoff} ms`,
    );
    running.leadership.resign(backoff);
  }

  private chainLeaderConsumer(step: () => Promise<void>): void {
    this.leaderConsumerChain = this.leaderConsumerChain.then(step).catch((error: unknown) => {
      this.log.error(`cluster: the leader consumer could not start: ${messageOf(error)}`);
    });
  }

  private closeEventSession(): void {
    this.eventSession?.close();
    this.eventSession = null;
  }

  private everyReader(redis: AmiRedisConnection['redis'], keys: AmiClusterKeys): AmiEveryConsumer {
    const sink = this.everySink as AmiClusterEventSink;
    return new AmiEveryConsumer({
      redis,
      stream: keys.events,
      logger: this.params.logger,
      handler: this.handlerFor('every', sink),
    });
  }

  private handlerFor(delivery: AmiDelivery, sink: AmiClusterEventSink): AmiStreamHandler {
    return (entry, meta) =>
      sink(entry.event, { eventId: meta.eventId, deliveryCount: meta.deliveryCount, delivery });
  }

  private lifecycle(event: AmiClusterLifecycleEvent): void {
    const sink = this.params.sinks.lifecycle;
    if (sink === undefined) return;
    try {
      sink(event);
    } catch (error) {
      this.log.error(`cluster: a ${event.kind} lifecycle handler threw: ${messageOf(error)}`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits for `work`, at most `ms`. */
async function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** Every counter at zero: a node not started (or a Nest view before its node exists). */
export function emptyClusterStats(): AmiClusterStats {
  return {
    published: 0,
    dropped: 0,
    refused: 0,
    buffered: 0,
    delivered: 0,
    acked: 0,
    failed: 0,
    claimed: 0,
    deadLettered: 0,
  };
}
