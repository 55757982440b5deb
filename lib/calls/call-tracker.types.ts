import type { Observable } from 'rxjs';
import type { AmiEvent } from '../protocol/ami-message.js';

/** What a tracked call reports, in this order: dialing, ringing?, answered | busy | noAnswer | failed?, hangup. */
export type AmiCallProgressKind =
  | 'dialing'
  | 'ringing'
  | 'answered'
  | 'busy'
  | 'noAnswer'
  | 'failed'
  | 'hangup';

/** How a call ended: `cancelled` is a call hung up before any answer without a busy/no-answer/failure cause. */
export type AmiCallOutcome = 'answered' | 'busy' | 'noAnswer' | 'failed' | 'cancelled';

export interface AmiCallProgress {
  kind: AmiCallProgressKind;
  /** When the tracker saw it, ms since epoch. */
  at: number;
  /** The event that told, or null when the tracker learnt it otherwise (a channel listing, the Originate's result). */
  event: AmiEvent | null;
  /** Q.850 hangup cause (`17`) on busy, noAnswer, failed and hangup, when Asterisk gave one. */
  cause?: string;
  /** Asterisk's words for it (`User busy`). */
  causeTxt?: string;
}

/** One finished call. Times are ms since epoch, as seen by the tracker. */
export interface AmiCallSummary {
  /** The channel followed: the originated one, or the one `track()` named (the call's first when given a Linkedid). */
  uniqueid: string;
  linkedid: string;
  /** That channel's name (`Local/100@test-00000001;1`). */
  channel: string;
  /** Its caller ID number, or its channel name when it has none. */
  from: string;
  /** What was dialled (the first DialBegin's DialString), or the extension the channel first ran. */
  to: string;
  outcome: AmiCallOutcome;
  /** The last DialEnd's DialStatus (`ANSWER`, `BUSY`, `NOANSWER`...); absent when nothing was dialled. */
  dialStatus?: string;
  startedAt: number;
  answeredAt?: number;
  endedAt: number;
  /** From startedAt to endedAt. */
  durationMs: number;
  /** From answeredAt to endedAt; 0 when never answered. */
  talkTimeMs: number;
  /** The first non-zero Hangup cause of the call's channels (`16`), `0` when none. */
  cause: string;
  causeTxt: string;
}

export interface AmiTrackedCall {
  readonly uniqueid: string;
  /** Every progress of the call, replayed to late subscribers; completes after `hangup`, errors as `finished` rejects. */
  readonly progress$: Observable<AmiCallProgress>;
  /**
   * Resolves at the call's end, whatever its outcome. Rejects with AmiCallLostError (the call ended while
   * no event could be read), AmiCallNotFoundError (track() of a call Asterisk does not have),
   * AmiCallTrackerStoppedError, or the Originate's error when the call never got a channel.
   */
  readonly finished: Promise<AmiCallSummary>;
}

export interface AmiCallTrackerOptions {
  /**
   * Follow every call whose first channel the tracker sees (Newchannel with Uniqueid = Linkedid), not only
   * those given to originate() and track(): each one ends in `finished$`. Memory stays bounded by the calls
   * up. Default false.
   */
  trackAll?: boolean;
  /** Prefix of the ChannelIds originate() chooses. Default `call-`. */
  channelIdPrefix?: string;
  /**
   * A failed Originate whose call sent no event yet waits this long (ms) for one before ending as failed:
   * Asterisk may send the OriginateResponse before the call's first events (and cluster mode later still).
   * Default 1 000.
   */
  originateGraceMs?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}
