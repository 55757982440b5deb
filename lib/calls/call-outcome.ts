import type { AmiCallOutcome } from './call-tracker.types.js';

/** What the call's events said about why it was not answered; each may be missing. */
export interface UnansweredFacts {
  /** The first non-zero Hangup cause. */
  cause: string | undefined;
  /** The last DialEnd's DialStatus. */
  dialStatus: string | undefined;
  /** A failed OriginateResponse's Reason. */
  originateReason: string | undefined;
}

type Unanswered = Exclude<AmiCallOutcome, 'answered'>;

// Q.850 causes that say more than "someone hung up" (16 Normal Clearing, 0 unknown).
const BY_CAUSE: Readonly<Record<string, Unanswered>> = { '17': 'busy', '18': 'noAnswer', '19': 'noAnswer' };
const UNINFORMATIVE_CAUSES = new Set(['0', '16', '31', '127']);
const BY_DIAL_STATUS: Readonly<Record<string, Unanswered>> = {
  BUSY: 'busy',
  NOANSWER: 'noAnswer',
  CANCEL: 'cancelled',
  CONGESTION: 'failed',
  CHANUNAVAIL: 'failed',
  INVALIDARGS: 'failed',
  DONTCALL: 'failed',
  TORTURE: 'failed',
};
// OriginateResponse Reason: the last control frame on the dialled channel.
const BY_ORIGINATE_REASON: Readonly<Record<string, Unanswered>> = {
  '0': 'failed',
  '1': 'cancelled',
  '3': 'noAnswer',
  '5': 'busy',
  '8': 'failed',
};

/**
 * The outcome of a call that ended unanswered. The hangup cause is the most precise fact (a rejected call's
 * Dial reports NOANSWER, its cause says 21 Call Rejected); then Dial's status; then the Originate's reason.
 */
export function unansweredOutcome({ cause, dialStatus, originateReason }: UnansweredFacts): Unanswered {
  if (cause !== undefined && !UNINFORMATIVE_CAUSES.has(cause)) return BY_CAUSE[cause] ?? 'failed';
  const byDial = dialStatus === undefined ? undefined : BY_DIAL_STATUS[dialStatus];
  if (byDial !== undefined) return byDial;
  const byReason = originateReason === undefined ? undefined : BY_ORIGINATE_REASON[originateReason];
  return byReason ?? 'cancelled';
}
