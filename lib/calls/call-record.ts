import { type AmiEvent, firstHeaderValue } from '../protocol/ami-message.js';
import { unansweredOutcome } from './call-outcome.js';
import type { AmiCallProgressKind, AmiCallSummary } from './call-tracker.types.js';
import type { TrackedCallHandle } from './tracked-call.js';

const UP = '6';
const RINGING = '5';
const UNKNOWN_CALLER = '<unknown>';

/** A channel of the call as the tracker last saw it. */
interface ChannelSeen {
  /** The tracker's event counter when it was last seen: a resync keeps channels seen during its listing. */
  seenAt: number;
}

/** One row of CoreShowChannels, as much as the record needs. */
export interface ListedChannel {
  Uniqueid: string;
  Linkedid: string;
  Channel: string;
  ChannelState: string;
  CallerIDNum: string;
  Exten: string;
  /** Seconds since the channel was created. */
  seconds: number;
}

const header = (event: AmiEvent, name: string) => firstHeaderValue(event, name);

/**
 * The state of one tracked call, reduced from its events: the channels of its Linkedid still up, who and
 * what, when it started and was answered, and why it ended. Knows nothing of subscriptions or actions.
 */
export class CallRecord {
  /** The Linkedid, once known (the id itself for an originated call: its ChannelId starts the call). */
  linkedid: string | undefined;
  readonly channels = new Map<string, ChannelSeen>();
  /** Set once a channel of the call was seen: a record without one is waiting for its first event. */
  everSeen = false;
  /** While the Originate action has not settled. */
  originating = false;
  ended = false;
  private channelName = '';
  private from: string | undefined;
  /** The first DialBegin's DialString. */
  private dialString: string | undefined;
  /** The extension the followed channel first ran. */
  private firstExten: string | undefined;
  /** The originate time until the call is seen; then its first event's (or its listed age's). */
  private startedAt: number;
  private startSeen = false;
  private answeredAt: number | undefined;
  private cause: string | undefined;
  private causeTxt: string | undefined;
  private dialStatus: string | undefined;
  private originateReason: string | undefined;
  private readonly reported = new Set<AmiCallProgressKind>();

  constructor(
    /** The channel followed (or, for track(linkedid), the call's first channel). */
    readonly uniqueid: string,
    readonly handle: TrackedCallHandle,
    private readonly now: () => number,
    linkedid?: string,
  ) {
    this.linkedid = linkedid;
    this.startedAt = now();
  }

  /** Whether the event is about this call: one of its channels, or a channel of its Linkedid. */
  owns(event: AmiEvent): boolean {
    for (const side of ['', 'Dest']) {
      const uniqueid = header(event, `${side}Uniqueid`);
      const linkedid = header(event, `${side}Linkedid`);
      if (uniqueid !== undefined && (uniqueid === this.uniqueid || this.channels.has(uniqueid))) return true;
      if (linkedid !== undefined && (linkedid === this.linkedid || linkedid === this.uniqueid)) return true;
    }
    return false;
  }

  /** Applies one event of the call; `seq` is the tracker's event counter. Returns true when the call ended. */
  apply(event: AmiEvent, seq: number): boolean {
    const at = this.now();
    // Asterisk can send a channel's Newchannel after events that answer it (seen under load): the call
    // starts at the first event of it that arrives, so its duration never falls short of its talk time.
    if (event.Event !== 'OriginateResponse') this.started(at);
    this.learnChannels(event, seq);
    const uniqueid = header(event, 'Uniqueid');
    const isMain = uniqueid === this.uniqueid;
    switch (event.Event) {
      case 'Newchannel':
        if (isMain) this.learnMain(event);
        this.report('dialing', at, event);
        break;
      case 'Newstate':
        if (isMain) this.learnCaller(header(event, 'CallerIDNum'));
        if (header(event, 'ChannelState') === RINGING) this.report('ringing', at, event);
        if (isMain && header(event, 'ChannelState') === UP) this.answer(at, event);
        break;
      case 'NewCallerid':
        if (isMain) this.learnCaller(header(event, 'CallerIDNum'));
        break;
      case 'DialBegin':
        this.dialString ??= header(event, 'DialString');
        this.report('dialing', at, event);
        break;
      case 'DialState':
        if (header(event, 'DialStatus') === 'RINGING') this.report('ringing', at, event);
        break;
      case 'DialEnd':
        this.dialStatus = header(event, 'DialStatus');
        if (this.dialStatus === 'ANSWER' && (isMain || header(event, 'DestUniqueid') === this.uniqueid))
          this.answer(at, event);
        break;
      case 'OriginateResponse':
        this.originated(header(event, 'Response'), header(event, 'Reason'), event);
        break;
      case 'Hangup':
        return this.hangup(event);
    }
    return false;
  }

  /** What a failed Originate said (its OriginateResponse, by event or by the action's result). */
  originated(
    response: string | undefined,
    reason: string | undefined,
    event: AmiEvent | null,
    at = this.now(),
  ): void {
    if (response === 'Success') this.answer(at, event);
    else if (response === 'Failure') this.originateReason = reason;
  }

  /** Seeds or refreshes the record from a channel listing (track() of a call in progress, a resync). */
  adopt(listed: ListedChannel, seq: number): void {
    const at = this.now();
    this.linkedid ??= listed.Linkedid;
    this.channels.set(listed.Uniqueid, { seenAt: seq });
    const firstSight = !this.everSeen;
    this.everSeen = true;
    if (listed.Uniqueid === this.uniqueid && this.channelName === '') {
      this.channelName = listed.Channel;
      this.started(at - listed.seconds * 1000);
      this.firstExten ??= listed.Exten;
      this.learnCaller(listed.CallerIDNum);
    }
    if (firstSight) this.report('dialing', at, null);
    if (listed.Uniqueid === this.uniqueid && listed.ChannelState === UP) this.answer(at, null);
  }

  /** Forgets the channels not listed and not seen since `listedFrom`. Returns false when none is left. */
  retain(listed: ReadonlySet<string>, listedFrom: number): boolean {
    for (const [uniqueid, seen] of this.channels)
      if (!listed.has(uniqueid) && seen.seenAt < listedFrom) this.channels.delete(uniqueid);
    return this.channels.size > 0;
  }

  /** The summary of a call that ended (`failure`: the Originate's result when no channel ever came). */
  finish(at: number, event: AmiEvent | null): AmiCallSummary {
    this.ended = true;
    const outcome =
      this.answeredAt !== undefined
        ? 'answered'
        : unansweredOutcome({
            cause: this.cause,
            dialStatus: this.dialStatus,
            originateReason: this.originateReason,
          });
    const cause = this.cause ?? '0';
    const causeTxt = this.causeTxt ?? 'Unknown';
    if (outcome !== 'answered' && outcome !== 'cancelled') this.report(outcome, at, event, cause, causeTxt);
    this.report('hangup', at, event, cause, causeTxt);
    return {
      uniqueid: this.uniqueid,
      linkedid: this.linkedid ?? this.uniqueid,
      channel: this.channelName,
      from: this.from ?? this.channelName,
      to: this.dialString ?? this.firstExten ?? '',
      outcome,
      ...(this.dialStatus === undefined ? {} : { dialStatus: this.dialStatus }),
      startedAt: this.startedAt,
      ...(this.answeredAt === undefined ? {} : { answeredAt: this.answeredAt }),
      endedAt: at,
      durationMs: at - this.startedAt,
      talkTimeMs: this.answeredAt === undefined ? 0 : at - this.answeredAt,
      cause,
      causeTxt,
    };
  }

  private learnChannels(event: AmiEvent, seq: number): void {
    for (const side of ['', 'Dest']) {
      const uniqueid = header(event, `${side}Uniqueid`);
      if (uniqueid === undefined || uniqueid === '') continue;
      const linkedid = header(event, `${side}Linkedid`);
      const ours =
        uniqueid === this.uniqueid ||
        this.channels.has(uniqueid) ||
        (linkedid !== undefined && (linkedid === this.linkedid || linkedid === this.uniqueid));
      if (!ours) continue;
      if (uniqueid === this.uniqueid && linkedid !== undefined) this.linkedid ??= linkedid;
      // A channel's Hangup is its last event: it is removed in hangup(), not re-added here.
      if (!(event.Event === 'Hangup' && side === '') && event.Event !== 'OriginateResponse') {
        this.channels.set(uniqueid, { seenAt: seq });
        this.everSeen = true;
      }
    }
  }

  private learnMain(event: AmiEvent): void {
    this.channelName = header(event, 'Channel') ?? '';
    this.firstExten ??= header(event, 'Exten');
    this.learnCaller(header(event, 'CallerIDNum'));
  }

  private started(at: number): void {
    if (this.startSeen && this.startedAt <= at) return;
    this.startedAt = at;
    this.startSeen = true;
  }

  private learnCaller(number: string | undefined): void {
    if (number !== undefined && number !== '' && number !== UNKNOWN_CALLER) this.from = number;
  }

  private answer(at: number, event: AmiEvent | null): void {
    if (this.answeredAt !== undefined) return;
    this.answeredAt = at;
    this.report('answered', at, event);
  }

  private hangup(event: AmiEvent): boolean {
    const uniqueid = header(event, 'Uniqueid');
    if (uniqueid === this.uniqueid) {
      this.learnCaller(header(event, 'CallerIDNum'));
      if (this.channelName === '') this.channelName = header(event, 'Channel') ?? '';
    }
    const cause = header(event, 'Cause');
    if (this.cause === undefined && cause !== undefined && cause !== '0') {
      this.cause = cause;
      this.causeTxt = header(event, 'Cause-txt');
    }
    if (uniqueid !== undefined) this.channels.delete(uniqueid);
    this.everSeen = true;
    return this.channels.size === 0;
  }

  private report(
    kind: AmiCallProgressKind,
    at: number,
    event: AmiEvent | null,
    cause?: string,
    causeTxt?: string,
  ): void {
    if (this.reported.has(kind)) return;
    if (kind !== 'dialing' && !this.reported.has('dialing')) this.report('dialing', at, null);
    this.reported.add(kind);
    this.handle.report({
      kind,
      at,
      event,
      ...(cause === undefined ? {} : { cause }),
      ...(causeTxt === undefined ? {} : { causeTxt }),
    });
  }
}
