import { randomUUID } from 'node:crypto';
import { type Observable, Subject } from 'rxjs';
import type { AmiOriginateOptions } from '../client/ami-client.types.js';
import { AmiActionError, AmiDisconnectedError } from '../errors/ami-errors.js';
import type { AmiLiveSource } from '../live/live-source.js';
import { type AmiEvent, firstHeaderValue } from '../protocol/ami-message.js';
import type { AmiActionParams } from '../types/ami-action-types.js';
import { AmiCallLostError, AmiCallNotFoundError, AmiCallTrackerStoppedError } from './call-errors.js';
import { CallRecord } from './call-record.js';
import type { AmiCallSummary, AmiCallTrackerOptions, AmiTrackedCall } from './call-tracker.types.js';
import { listChannels } from './channel-listing.js';
import { TrackedCallHandle } from './tracked-call.js';

/** The events a call's progress is read from. */
const CALL_EVENTS = [
  'Newchannel',
  'Newstate',
  'NewCallerid',
  'DialBegin',
  'DialState',
  'DialEnd',
  'Hangup',
  'OriginateResponse',
] as const;

/** How long a failed Originate waits for its call's first event before ending without one. */
export const DEFAULT_ORIGINATE_GRACE_MS = 1_000;

interface Tracked {
  record: CallRecord;
  /** The ids it is indexed under, to unindex it in one go. */
  keys: Set<string>;
  /** How it came: originate() (the Originate may still create it) or track(). */
  origin: 'originate' | 'track' | 'auto';
  /** The tracker's counter when it began: a listing sent before cannot judge it. */
  since: number;
  /**
   * Its last channel hung up before the Originate settled: Asterisk may send the OriginateResponse after
   * the last Hangup, and its Reason can be the only word on the outcome (Local channel to no extension).
   */
  hungUp?: { at: number; event: AmiEvent };
  /** Waits for the first event of a call whose Originate failed before any was seen. */
  graceTimer?: NodeJS.Timeout;
}

/**
 * Follows calls from their events: the ones it originates (with a ChannelId it chooses, so the first event
 * is already known), the ones named to track(), and with `trackAll` every call it sees begin. Each ends in
 * a summary; nothing is kept after it. At every resync of the source (login, cluster eventGap) it lists
 * Asterisk's channels: a tracked call none of whose channels is left ended unseen and rejects with
 * AmiCallLostError rather than waiting forever. Framework-free.
 */
export class AmiCallTracker {
  /** Every call that ended while tracked (not the lost ones). Completes on stop(). */
  readonly finished$: Observable<AmiCallSummary>;
  private readonly finishedSubject = new Subject<AmiCallSummary>();
  private readonly byId = new Map<string, Set<Tracked>>();
  private readonly calls = new Set<Tracked>();
  private readonly now: () => number;
  private readonly trackAll: boolean;
  private readonly channelIdPrefix: string;
  private readonly originateGraceMs: number;
  private unsubscribes: Array<() => void> = [];
  private running = false;
  private listening = false;
  private stopped = false;
  /** Counts events and new calls: tells a listing which channels it can judge. */
  private seq = 0;
  private resyncing: Promise<void> | null = null;
  private resyncAgain = false;
  /** Channels hung up while a listing was under way: the listing may still show them. */
  private hungUpDuringListing: Set<string> | null = null;

  constructor(
    private readonly source: AmiLiveSource,
    options: AmiCallTrackerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.trackAll = options.trackAll ?? false;
    this.channelIdPrefix = options.channelIdPrefix ?? 'call-';
    this.originateGraceMs = options.originateGraceMs ?? DEFAULT_ORIGINATE_GRACE_MS;
    this.finished$ = this.finishedSubject.asObservable();
  }

  /** Calls in memory now (tracked and not yet ended). */
  get size(): number {
    return this.calls.size;
  }

  /** Subscribes to the source's events and resyncs. Idempotent. */
  start(): void {
    if (this.running) return;
    if (this.stopped)
      throw new AmiCallTrackerStoppedError('the call tracker was stopped: create another', '');
    this.running = true;
    this.unsubscribes.push(this.source.onResync(() => void this.resync()));
    if (this.trackAll) this.listen();
  }

  /** Event listeners are added with the first call tracked (at start with trackAll): unused, a tracker costs nothing per event. */
  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    for (const name of CALL_EVENTS)
      this.unsubscribes.push(this.source.events.onEvent(name, (event) => this.onEvent(event)));
  }

  /** Unsubscribes; every call still tracked rejects with AmiCallTrackerStoppedError; finished$ completes. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.running = false;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.unsubscribes = [];
    for (const tracked of [...this.calls]) {
      this.fail(
        tracked,
        new AmiCallTrackerStoppedError(
          `call ${tracked.record.uniqueid}: the call tracker stopped`,
          tracked.record.uniqueid,
        ),
      );
    }
    this.finishedSubject.complete();
  }

  /**
   * Originates a call (async, like AmiClient.originate) with a ChannelId chosen here unless given (and an
   * OtherChannelId for the second half of a Local channel), so every event of the call is known from its
   * first one. A failed Originate is an outcome (busy, noAnswer, failed), not a rejection.
   */
  originate(params: AmiActionParams<'Originate'>, options: AmiOriginateOptions = {}): AmiTrackedCall {
    this.assertRunning();
    const channelId = String(params.ChannelId ?? `${this.channelIdPrefix}${randomUUID()}`);
    const local = /^local\//i.test(String(params.Channel)) && params.OtherChannelId === undefined;
    const action = {
      ...params,
      ChannelId: channelId,
      ...(local ? { OtherChannelId: `${channelId}-2` } : {}),
    };
    const tracked = this.add(
      new CallRecord(channelId, new TrackedCallHandle(channelId), this.now, channelId),
      'originate',
    );
    tracked.record.originating = true;
    const sentConnected = this.source.actions.isConnected;
    this.source.actions.originate(action, { ...options, waitForResult: true }).then(
      (response) => {
        tracked.record.originating = false;
        if (tracked.record.ended) return;
        const { hungUp } = tracked;
        tracked.record.originated('Success', firstHeaderValue(response, 'Reason'), null, hungUp?.at);
        if (hungUp !== undefined) this.end(tracked, hungUp.event, hungUp.at);
      },
      (error: Error) => this.originateFailed(tracked, error, sentConnected),
    );
    return tracked.record.handle;
  }

  /**
   * Follows a call, inbound too, by a channel's Uniqueid or the call's Linkedid, from now to its end. A call
   * already up is looked up in Asterisk's channel list (its start is estimated from the channel's age); one
   * Asterisk does not have rejects with AmiCallNotFoundError. Tracking the same id twice gives the same call.
   */
  track(id: string): AmiTrackedCall {
    this.assertRunning();
    if (typeof id !== 'string' || id === '')
      throw new TypeError('AmiCallTracker.track needs a Uniqueid or Linkedid');
    for (const known of this.byId.get(id) ?? [])
      if (known.record.uniqueid === id || known.record.linkedid === id) return known.record.handle;
    const tracked = this.add(new CallRecord(id, new TrackedCallHandle(id), this.now), 'track');
    void this.resync();
    return tracked.record.handle;
  }

  /**
   * Lists Asterisk's channels and brings every tracked call in line: channels gone are forgotten, a call
   * left with none ended unseen (AmiCallLostError), a call named to track() that Asterisk does not have
   * rejects (AmiCallNotFoundError). Runs at every resync of the source; calls made meanwhile share a run.
   */
  resync(): Promise<void> {
    if (this.resyncing !== null) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    this.resyncing = (async () => {
      do {
        this.resyncAgain = false;
        await this.resyncOnce();
      } while (this.resyncAgain && this.running);
    })().finally(() => {
      this.resyncing = null;
    });
    return this.resyncing;
  }

  private async resyncOnce(): Promise<void> {
    if (!this.running || this.calls.size === 0) return;
    const from = ++this.seq;
    const hungUp = new Set<string>();
    this.hungUpDuringListing = hungUp;
    const channels = await listChannels(this.source.actions)
      .catch(() => null) // Not connected: the next login resyncs.
      .finally(() => {
        this.hungUpDuringListing = null;
      });
    if (channels === null || !this.running) return;
    const live = new Set(channels.map((channel) => channel.Uniqueid));
    for (const tracked of [...this.calls]) {
      const { record } = tracked;
      if (tracked.since > from || record.ended) continue;
      const linkedid =
        record.linkedid ?? channels.find((channel) => channel.Uniqueid === record.uniqueid)?.Linkedid;
      for (const channel of channels) {
        if (hungUp.has(channel.Uniqueid)) continue;
        const ours =
          record.channels.has(channel.Uniqueid) ||
          channel.Uniqueid === record.uniqueid ||
          channel.Linkedid === record.uniqueid ||
          (linkedid !== undefined && channel.Linkedid === linkedid);
        if (ours) record.adopt(channel, this.seq);
      }
      this.index(tracked);
      if (record.retain(live, from) || record.originating) continue;
      const { uniqueid } = record;
      if (record.everSeen || tracked.origin !== 'track')
        this.fail(
          tracked,
          new AmiCallLostError(`call ${uniqueid}: ended while its events could not be read`, uniqueid),
        );
      else
        this.fail(
          tracked,
          new AmiCallNotFoundError(`call ${uniqueid}: Asterisk has no such channel or call`, uniqueid),
        );
    }
  }

  private onEvent(event: AmiEvent): void {
    if (!this.running) return;
    this.seq += 1;
    const uniqueid = firstHeaderValue(event, 'Uniqueid');
    if (event.Event === 'Hangup' && uniqueid !== undefined) this.hungUpDuringListing?.add(uniqueid);
    const owners = this.owners(event);
    if (owners.length === 0) {
      const linkedid = firstHeaderValue(event, 'Linkedid');
      if (!this.trackAll || event.Event !== 'Newchannel' || uniqueid === undefined || uniqueid !== linkedid)
        return;
      owners.push(
        this.add(new CallRecord(uniqueid, new TrackedCallHandle(uniqueid), this.now, linkedid), 'auto'),
      );
    }
    for (const tracked of owners) this.apply(tracked, event, uniqueid);
  }

  private apply(tracked: Tracked, event: AmiEvent, uniqueid: string | undefined): void {
    const { record } = tracked;
    const ended = record.apply(event, this.seq);
    if (ended && record.originating) tracked.hungUp = { at: this.now(), event };
    else if (ended) return this.end(tracked, event);
    this.index(tracked);
    if (event.Event === 'Hangup' && uniqueid !== undefined && !record.channels.has(uniqueid))
      this.unindex(tracked, uniqueid);
  }

  /** The tracked calls the event is about: usually one; two when track() named two channels of one call. */
  private owners(event: AmiEvent): Tracked[] {
    const found: Tracked[] = [];
    for (const name of ['Uniqueid', 'Linkedid', 'DestUniqueid', 'DestLinkedid']) {
      const id = firstHeaderValue(event, name);
      const owners = id === undefined ? undefined : this.byId.get(id);
      if (owners === undefined) continue;
      for (const tracked of owners)
        if (!found.includes(tracked) && tracked.record.owns(event)) found.push(tracked);
    }
    return found;
  }

  private originateFailed(tracked: Tracked, error: Error, sentConnected: boolean): void {
    const { record } = tracked;
    record.originating = false;
    if (record.ended) return;
    const failure =
      error instanceof AmiActionError && firstHeaderValue(error.response, 'Event') === 'OriginateResponse';
    if (failure) {
      record.originated('Failure', firstHeaderValue(error.response, 'Reason'), null);
      // Its channels' Hangups end it; a call whose channels are gone ends here.
      if (tracked.hungUp !== undefined) this.end(tracked, tracked.hungUp.event, tracked.hungUp.at);
      else if (!record.everSeen) this.awaitFirstEvent(tracked);
      return;
    }
    if (tracked.hungUp !== undefined) return this.end(tracked, tracked.hungUp.event, tracked.hungUp.at);
    if (record.everSeen) return;
    // Lost with the connection while pending: the call may exist; the resync after the next login tells.
    if (error instanceof AmiDisconnectedError && sentConnected) return;
    this.fail(tracked, error);
  }

  /**
   * Asterisk raises OriginateResponse at once but channel events through its internal bus: under load the
   * Failure can come before the call's Newchannel (seen on Asterisk 22 with 8 calls at once), and in cluster
   * mode the events come later still, through Redis. A call with no event yet ends as failed only if none
   * comes within originateGraceMs (a channel that could not be created sends none).
   */
  private awaitFirstEvent(tracked: Tracked): void {
    tracked.graceTimer = setTimeout(() => {
      if (!tracked.record.everSeen && !tracked.record.ended) this.end(tracked, null);
    }, this.originateGraceMs);
    tracked.graceTimer.unref();
  }

  private add(record: CallRecord, origin: Tracked['origin']): Tracked {
    this.listen();
    const tracked: Tracked = { record, origin, keys: new Set(), since: ++this.seq };
    this.calls.add(tracked);
    this.index(tracked);
    return tracked;
  }

  private index(tracked: Tracked): void {
    const { record, keys } = tracked;
    const add = (id: string) => {
      if (keys.has(id)) return;
      keys.add(id);
      const owners = this.byId.get(id);
      if (owners === undefined) this.byId.set(id, new Set([tracked]));
      else owners.add(tracked);
    };
    add(record.uniqueid);
    if (record.linkedid !== undefined) add(record.linkedid);
    for (const uniqueid of record.channels.keys()) add(uniqueid);
    // Channels a resync found gone.
    for (const id of keys)
      if (id !== record.uniqueid && id !== record.linkedid && !record.channels.has(id))
        this.unindex(tracked, id);
  }

  /** A channel's id, once it hung up (the call's own ids stay until it ends). */
  private unindex(tracked: Tracked, id: string): void {
    if (id === tracked.record.uniqueid || id === tracked.record.linkedid) return;
    tracked.keys.delete(id);
    this.unlink(id, tracked);
  }

  private unlink(id: string, tracked: Tracked): void {
    const owners = this.byId.get(id);
    owners?.delete(tracked);
    if (owners?.size === 0) this.byId.delete(id);
  }

  private forget(tracked: Tracked): void {
    clearTimeout(tracked.graceTimer);
    this.calls.delete(tracked);
    for (const id of tracked.keys) this.unlink(id, tracked);
    tracked.keys.clear();
  }

  private end(tracked: Tracked, event: AmiEvent | null, at = this.now()): void {
    this.forget(tracked);
    const summary = tracked.record.finish(at, event);
    tracked.record.handle.succeed(summary);
    this.finishedSubject.next(summary);
  }

  private fail(tracked: Tracked, error: Error): void {
    this.forget(tracked);
    tracked.record.ended = true;
    tracked.record.handle.fail(error);
  }

  private assertRunning(): void {
    if (!this.running)
      throw new AmiCallTrackerStoppedError('the call tracker is not running: call start() first', '');
  }
}
