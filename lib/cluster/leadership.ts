import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type { AmiLogger } from '../client/ami-client.types.js';
import { type AmiLogSink, silentLogger, toLogSink } from '../client/ami-logger.js';
import type { AmiClusterKeys } from './cluster-keys.js';
import { acquireLease, releaseLease, renewLease } from './lease-scripts.js';
import { identityOfToken, leaseToken, replicaIdentity } from './replica-identity.js';

export const DEFAULT_LEASE_TTL = 5_000;

/**
 * Why a leader stopped leading: `lost` (a renewal found the lease gone or another's), `expired` (no
 * renewal succeeded before the local deadline: stalled, or Redis out of reach), `fenced` (a fenced write
 * was refused), `stopped` (stop()), `resigned` (resign(): this replica could not do the leader's job).
 */
export type AmiDeposedReason = 'lost' | 'expired' | 'fenced' | 'stopped' | 'resigned';

/** What a leader proves itself with in fenced writes. */
export interface AmiLeaseHold {
  readonly token: string;
  /** The fencing epoch: greater for each new holder of this group and connection's lease. */
  readonly epoch: number;
}

export interface AmiLeadershipListeners {
  elected: (epoch: number) => void;
  deposed: (reason: AmiDeposedReason) => void;
}

export interface AmiLeadershipOptions {
  readonly redis: Redis;
  readonly keys: AmiClusterKeys;
  /** This replica's name; default hostname:pid:random. */
  readonly identity?: string;
  /** Lease length in ms (default 5 s). Renewed every third of it; a leader gives up before it ends. */
  readonly leaseTtl?: number;
  /** How often a follower tries to take the lease, at most (default a fifth of leaseTtl). */
  readonly acquireInterval?: number;
  readonly logger?: AmiLogger;
}

type State = 'idle' | 'follower' | 'leader' | 'stopped';

interface Term extends AmiLeaseHold {
  /** Local monotonic time after which this replica no longer counts itself leader. */
  validUntil: number;
}

const now = () => performance.now();

/**
 * One replica's side of the leadership of a group on a connection: a lease in Redis (a token under
 * SET NX PX), a fencing epoch taken in the same script, renewal every third of the lease, and a local
 * deadline (last renewal sent + ttl - margin, on the monotonic clock) after which the leader counts
 * itself deposed whatever Redis says: before the lease can have expired there, so two replicas never
 * both believe they lead. Fenced writes (the publisher) are the guarantee; the deadline stops a stalled
 * leader early.
 */
export class AmiLeadership {
  readonly identity: string;
  readonly leaseTtl: number;
  readonly renewInterval: number;
  readonly acquireInterval: number;
  /** How long before the lease's end in Redis the leader gives up: clock rate drift and reply delays. */
  readonly safetyMargin: number;

  private readonly redis: Redis;
  private readonly keys: AmiClusterKeys;
  private readonly log: AmiLogSink;
  private state: State = 'idle';
  private term: Term | null = null;
  /** The token of the follower's attempts, kept until a term starts: a retry after a lost reply finds it. */
  private candidateToken: string | null = null;
  /** Incremented whenever a reply in flight stops mattering (deposed, stopped). */
  private generation = 0;
  private loopTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private unreachableLogged = false;
  /** Where a released lease is announced (releaseLease publishes), so followers need not wait to poll. */
  private readonly freedChannel: string;
  private subscriber: Redis | null = null;
  /** After resign(): no attempt to lead before this (monotonic ms). */
  private backoffUntil = 0;
  private readonly listeners: { [K in keyof AmiLeadershipListeners]: Set<AmiLeadershipListeners[K]> } = {
    elected: new Set(),
    deposed: new Set(),
  };

  constructor(options: AmiLeadershipOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.identity = options.identity ?? replicaIdentity();
    this.leaseTtl = positiveInteger('leaseTtl', options.leaseTtl ?? DEFAULT_LEASE_TTL, 300);
    this.renewInterval = Math.floor(this.leaseTtl / 3);
    this.safetyMargin = Math.max(100, Math.floor(this.leaseTtl / 5));
    this.acquireInterval = positiveInteger(
      'acquireInterval',
      options.acquireInterval ?? Math.floor(this.leaseTtl / 5),
      10,
    );
    this.log = toLogSink(options.logger ?? silentLogger);
    this.freedChannel = `${this.keys.lease}:freed`;
  }

  /** Starts taking part: the first attempt to lead is made now. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'follower';
    this.listenForRelease();
    this.schedule(0, () => this.attempt());
  }

  /** Gives the lease back (when held) and takes no further part. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const term = this.term;
    if (this.state === 'leader') this.depose('stopped');
    this.state = 'stopped';
    this.generation++;
    this.clearTimers();
    this.subscriber?.disconnect();
    this.subscriber = null;
    if (term !== null) await this.release(term.token, Math.min(this.leaseTtl, 2_000));
  }

  /** The lease this replica holds, or null; checks the local deadline, so a stalled leader knows at once. */
  current(): AmiLeaseHold | null {
    const term = this.term;
    if (term === null) return null;
    if (now() >= term.validUntil) {
      this.depose('expired');
      return null;
    }
    return { token: term.token, epoch: term.epoch };
  }

  get isLeader(): boolean {
    return this.current() !== null;
  }

  get role(): 'leader' | 'follower' | 'stopped' {
    if (this.state === 'stopped') return 'stopped';
    return this.isLeader ? 'leader' : 'follower';
  }

  /**
   * Gives the lease back while staying a candidate, and tries to lead again only after `backoffMs`, so
   * another replica gets its chance: this one could not do the leader's job.
   */
  resign(backoffMs: number): void {
    if (this.state !== 'leader') return;
    this.backoffUntil = now() + backoffMs;
    this.depose('resigned');
  }

  /** A follower tries now (told the lease is free) instead of at its next attempt. */
  tryNow(): void {
    if (this.state === 'follower') this.schedule(0, () => this.attempt());
  }

  /** A fenced write was refused: the lease is no longer ours. */
  fenced(): void {
    if (this.state === 'leader') this.depose('fenced');
  }

  /** Who leads now, as Redis says (any replica may ask). */
  async leader(): Promise<{ identity: string; epoch: number } | null> {
    const [token, epoch] = await this.redis.mget(this.keys.lease, this.keys.epoch);
    if (token === null) return null;
    return { identity: identityOfToken(token), epoch: Number(epoch ?? 0) };
  }

  on<K extends keyof AmiLeadershipListeners>(event: K, listener: AmiLeadershipListeners[K]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  private async attempt(): Promise<void> {
    const backoff = this.backoffUntil - now();
    if (backoff > 0) return this.schedule(backoff, () => this.attempt());
    const generation = this.generation;
    this.candidateToken ??= leaseToken(this.identity);
    const token = this.candidateToken;
    const sentAt = now();
    let result: number;
    try {
      result = Number(
        await acquireLease.run(this.redis, [this.keys.lease, this.keys.epoch], [token, this.leaseTtl]),
      );
    } catch (error) {
      if (generation !== this.generation) return;
      this.unreachable(error);
      this.schedule(this.acquireInterval, () => this.attempt());
      return;
    }
    if (generation !== this.generation || this.state !== 'follower') {
      // Stopped while the attempt was on its way: a lease won meanwhile goes back at once.
      if (result > 0 && this.state === 'stopped') void this.release(token, this.leaseTtl);
      return;
    }
    this.reachable();
    if (result <= 0) {
      const jitter = 5 + Math.floor(Math.random() * 20);
      this.schedule(Math.min(this.acquireInterval, -result + jitter), () => this.attempt());
      return;
    }
    const validUntil = sentAt + this.leaseTtl - this.safetyMargin;
    // A reply that came too late to lead on (Redis was slow or away): the lease is ours, take it again
    // with the same token, which extends it, rather than leave it unused until it expires.
    if (now() >= validUntil) return this.schedule(0, () => this.attempt());
    this.candidateToken = null;
    this.term = { token, epoch: result, validUntil };
    this.state = 'leader';
    this.armDeadline();
    this.schedule(Math.max(0, sentAt + this.renewInterval - now()), () => this.renew());
    this.log.log(`cluster: ${this.identity} leads ${this.keys.lease} (epoch ${result})`);
    this.emit('elected', result);
  }

  private async renew(): Promise<void> {
    const term = this.current() === null ? null : this.term;
    if (term === null) return;
    const generation = this.generation;
    const sentAt = now();
    let result: number;
    try {
      result = Number(await renewLease.run(this.redis, [this.keys.lease], [term.token, this.leaseTtl]));
    } catch (error) {
      if (generation !== this.generation) return;
      this.unreachable(error);
      // Try again soon: the deadline deposes this leader if none succeeds in time.
      this.schedule(Math.max(10, Math.floor(this.renewInterval / 4)), () => this.renew());
      return;
    }
    if (generation !== this.generation) return;
    this.reachable();
    if (result !== 1) return this.depose('lost');
    term.validUntil = Math.max(term.validUntil, sentAt + this.leaseTtl - this.safetyMargin);
    if (this.current() === null) return;
    this.armDeadline();
    this.schedule(Math.max(0, sentAt + this.renewInterval - now()), () => this.renew());
  }

  private depose(reason: AmiDeposedReason): void {
    if (this.state !== 'leader' || this.term === null) return;
    const { token, epoch } = this.term;
    this.term = null;
    this.generation++;
    this.clearTimers();
    this.state = reason === 'stopped' ? 'stopped' : 'follower';
    const line = `cluster: ${this.identity} no longer leads ${this.keys.lease} (epoch ${epoch}): ${reason}`;
    if (reason === 'stopped') this.log.log(line);
    else this.log.warn(line);
    // Past the local deadline the lease may still be ours in Redis for the margin: free it for the others.
    if (reason === 'expired' || reason === 'resigned') void this.release(token, this.leaseTtl);
    this.emit('deposed', reason);
    if (this.state === 'follower') this.schedule(0, () => this.attempt());
  }

  /**
   * A follower learns at once that the lease was given back (a clean stop, a resignation, an expired
   * term): it tries then instead of at its next poll. Its own connection (a subscribed one can do nothing
   * else); ioredis subscribes again after a reconnection. Missing a message costs only the wait for the
   * next poll.
   */
  private listenForRelease(): void {
    const subscriber = this.redis.duplicate({ maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    // Failures show in the lease's own commands; without a listener ioredis prints them.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string) => {
      if (channel === this.freedChannel) this.tryNow();
    });
    subscriber.subscribe(this.freedChannel).catch(() => undefined);
  }

  private async release(token: string, timeout: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        releaseLease.run(this.redis, [this.keys.lease], [token, this.freedChannel]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeout);
        }),
      ]);
    } catch {
      // Unreachable: the lease expires by itself.
    } finally {
      clearTimeout(timer);
    }
  }

  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    const term = this.term;
    if (term === null) return;
    this.deadlineTimer = setTimeout(() => this.current(), Math.max(0, term.validUntil - now()));
  }

  private schedule(delay: number, step: () => Promise<void> | void): void {
    clearTimeout(this.loopTimer);
    this.loopTimer = setTimeout(() => void step(), delay);
  }

  private clearTimers(): void {
    clearTimeout(this.loopTimer);
    clearTimeout(this.deadlineTimer);
    this.loopTimer = undefined;
    this.deadlineTimer = undefined;
  }

  private unreachable(error: unknown): void {
    if (this.unreachableLogged) return;
    this.unreachableLogged = true;
    const message = error instanceof Error ? error.message : String(error);
    this.log.warn(`cluster: Redis does not answer the lease of ${this.keys.lease}: ${message}`);
  }

  private reachable(): void {
    if (!this.unreachableLogged) return;
    this.unreachableLogged = false;
    this.log.log(`cluster: Redis answers the lease of ${this.keys.lease} again`);
  }

  private emit<K extends keyof AmiLeadershipListeners>(
    event: K,
    ...args: Parameters<AmiLeadershipListeners[K]>
  ): void {
    for (const listener of [...this.listeners[event]]) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        this.log.error(`cluster: a ${event} listener threw: ${String(error)}`);
      }
    }
  }
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`cluster ${name} must be an integer of at least ${min} ms, got ${value}`);
  }
  return value;
}
