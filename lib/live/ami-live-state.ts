import { type Observable, Subject } from 'rxjs';
import { type AmiLogSink, silentLogger, toLogSink } from '../client/ami-logger.js';
import { AmiStoppedError } from '../errors/ami-errors.js';
import { BridgeMap } from './bridge-map.js';
import { CallMap } from './call-map.js';
import { ChannelMap } from './channel-map.js';
import type {
  AmiLiveBridge,
  AmiLiveCall,
  AmiLiveChange,
  AmiLiveChannel,
  AmiLiveOptions,
  AmiLiveQueue,
  AmiLiveSizes,
  AmiLiveSnapshot,
} from './live.types.js';
import { LiveChanges } from './live-changes.js';
import { copyBridge, copyCall, copyChannel } from './live-copies.js';
import { LiveEventHandlers, type LiveMaps } from './live-events.js';
import { readLiveLists } from './live-lists.js';
import { reconcile } from './live-reconcile.js';
import type { AmiLiveSource } from './live-source.js';
import { QueueMap } from './queue-map.js';
import { SyncWindow } from './sync-window.js';

/**
 * What is live on the PBX now: channels, bridges, calls (channels by Linkedid) and queues with their
 * members and waiting callers. Kept from events, and rebuilt from Asterisk's own lists (CoreShowChannels,
 * BridgeList, QueueStatus) at every login, so what changed while no event could be read is right too.
 * Nothing is kept once Asterisk says it is gone (Hangup, BridgeDestroy, QueueMemberRemoved,
 * QueueCallerLeave). Framework-free: `new AmiLiveState(liveSourceOf(client))`.
 */
export class AmiLiveState {
  /** Every change: added, changed, removed, with the event that made it (null: a resync). */
  readonly changes$: Observable<AmiLiveChange>;
  /** Emits after each resync that succeeded (the first sync included): the state equals Asterisk's lists. */
  readonly resynced$: Observable<void>;
  private readonly resyncs = new Subject<void>();
  private readonly changes = new LiveChanges();
  private readonly window = new SyncWindow();
  private readonly maps: LiveMaps & { calls: CallMap };
  private readonly handlers: LiveEventHandlers;
  private readonly logger: AmiLogSink;
  private unsubscribers: Array<() => void> | null = null;
  private stopped = false;
  private syncedOnce = false;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    private readonly source: AmiLiveSource,
    private readonly options: AmiLiveOptions = {},
  ) {
    this.logger = toLogSink(options.logger ?? silentLogger);
    this.changes$ = this.changes.changes$;
    this.resynced$ = this.resyncs.asObservable();
    const calls = new CallMap(this.changes);
    this.maps = {
      calls,
      channels: new ChannelMap(this.changes, calls),
      bridges: new BridgeMap(this.changes),
      queues: options.queues === false ? null : new QueueMap(this.changes),
    };
    this.handlers = new LiveEventHandlers(this.maps, this.window);
  }

  /** True once a full resync succeeded. */
  get synced(): boolean {
    return this.syncedOnce;
  }

  /**
   * Subscribes to the events and to the resync signal (each login), then, when the action client is
   * logged in already, resyncs now and resolves after it (rejects when that resync fails; the state
   * keeps following events and tries again at the next login).
   */
  async start(): Promise<void> {
    if (this.stopped) throw new AmiStoppedError('AmiLiveState: stopped, create another one');
    if (this.unsubscribers === null) {
      this.unsubscribers = [
        this.handlers.subscribe(this.source.events),
        this.source.onResync(() => {
          this.resync().catch(() => undefined);
        }),
      ];
    }
    if (this.source.actions.isConnected) await this.resync();
  }

  /** Stops following events; changes$ and resynced$ complete. Final. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const unsubscribe of this.unsubscribers ?? []) unsubscribe();
    this.unsubscribers = null;
    this.window.end();
    this.changes.complete();
    this.resyncs.complete();
  }

  /**
   * Rebuilds the state from Asterisk's lists. One runs at a time: called while one runs, another follows
   * it (the running one may read a session that just ended) and the promise is that one's.
   */
  resync(): Promise<void> {
    if (this.running === null) {
      this.running = this.syncOnce().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.resync();
      });
    return this.queued;
  }

  /** Everything live now, as frozen copies (later changes do not show in them). */
  snapshot(): AmiLiveSnapshot {
    const { channels, bridges, calls, queues } = this.maps;
    return Object.freeze({
      at: Date.now(),
      channels: Object.freeze(Array.from(channels.values(), copyChannel)) as AmiLiveChannel[],
      bridges: Object.freeze(Array.from(bridges.values(), copyBridge)) as AmiLiveBridge[],
      calls: Object.freeze(Array.from(calls.values(), copyCall)) as AmiLiveCall[],
      queues: Object.freeze(queues === null ? [] : [...queues.values()]) as AmiLiveQueue[],
    });
  }

  channel(uniqueid: string): AmiLiveChannel | undefined {
    const channel = this.maps.channels.get(uniqueid);
    return channel === undefined ? undefined : copyChannel(channel);
  }

  call(linkedid: string): AmiLiveCall | undefined {
    const call = this.maps.calls.get(linkedid);
    return call === undefined ? undefined : copyCall(call);
  }

  bridge(bridgeUniqueid: string): AmiLiveBridge | undefined {
    const bridge = this.maps.bridges.get(bridgeUniqueid);
    return bridge === undefined ? undefined : copyBridge(bridge);
  }

  queue(name: string): AmiLiveQueue | undefined {
    return this.maps.queues?.get(name);
  }

  sizes(): AmiLiveSizes {
    const { channels, bridges, calls, queues } = this.maps;
    return {
      channels: channels.size,
      bridges: bridges.size,
      calls: calls.size,
      queues: queues?.size ?? 0,
      queueMembers: queues?.memberCount ?? 0,
      queueCallers: queues?.callerCount ?? 0,
    };
  }

  private async syncOnce(): Promise<void> {
    if (this.stopped) return;
    this.window.begin();
    try {
      const timeout = this.options.listTimeout;
      const lists = await readLiveLists(
        this.source.actions,
        timeout === undefined ? {} : { timeout },
        this.maps.queues !== null,
      );
      if (this.stopped) return;
      reconcile(this.maps, lists, this.window.end(), Date.now());
      this.syncedOnce = true;
      this.resyncs.next();
      const { channels, bridges, queues } = this.sizes();
      this.logger.debug(`AMI live state: ${channels} channel(s), ${bridges} bridge(s), ${queues} queue(s)`);
    } catch (error) {
      this.logger.warn(`AMI live state: resync failed: ${(error as Error).message}`);
      throw error;
    } finally {
      this.window.end();
    }
  }
}
