import type {
  AmiDialBeginEvent,
  AmiDialEndEvent,
  AmiHangupEvent,
  AmiNewchannelEvent,
  AmiNewstateEvent,
} from 'nestjs-ami';
import type { FinishedCall } from './finished-call.js';

interface CallInProgress {
  id: string;
  channel: string;
  caller: string | null;
  firstExten: string;
  dialString: string | null;
  dialStatus: string | null;
  startedAt: number;
  answeredAt: number | null;
  cause: { code: number; text: string } | null;
  /** Uniqueids of the call's channels still up. */
  channels: Set<string>;
}

const UNKNOWN = '<unknown>';

/**
 * Follows calls from their channel events and returns each one when its last channel hangs up. A call
 * is the set of channels sharing a Linkedid; only calls whose first channel was seen are followed.
 * Plain class, no Nest: `now` is injectable for tests.
 */
export class CallTracker {
  private readonly calls = new Map<string, CallInProgress>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Calls being followed. */
  get inProgress(): number {
    return this.calls.size;
  }

  newChannel(event: AmiNewchannelEvent): void {
    if (event.Uniqueid === event.Linkedid) {
      this.calls.set(event.Linkedid, {
        id: event.Linkedid,
        channel: event.Channel,
        caller: known(event.CallerIDNum),
        firstExten: event.Exten,
        dialString: null,
        dialStatus: null,
        startedAt: this.now(),
        answeredAt: null,
        cause: null,
        channels: new Set([event.Uniqueid]),
      });
      return;
    }
    this.calls.get(event.Linkedid)?.channels.add(event.Uniqueid);
  }

  newState(event: AmiNewstateEvent): void {
    const call = this.calls.get(String(event.Linkedid));
    if (call === undefined) return;
    if (event.Uniqueid === call.id) this.learnCaller(call, event.CallerIDNum);
    if (event.Uniqueid === call.id && event.ChannelStateDesc === 'Up') call.answeredAt ??= this.now();
  }

  dialBegin(event: AmiDialBeginEvent): void {
    const call = this.calls.get(String(event.DestLinkedid ?? event.Linkedid));
    if (call !== undefined && event.DialString) call.dialString ??= event.DialString;
  }

  dialEnd(event: AmiDialEndEvent): void {
    const call = this.calls.get(String(event.DestLinkedid ?? event.Linkedid));
    if (call === undefined) return;
    call.dialStatus = event.DialStatus ?? null;
    if (event.DialStatus === 'ANSWER') call.answeredAt ??= this.now();
  }

  /** Returns the finished call when this was its last channel. */
  hangup(event: AmiHangupEvent): FinishedCall | null {
    const call = this.calls.get(event.Linkedid);
    if (call === undefined) return null;
    if (event.Uniqueid === call.id) this.learnCaller(call, event.CallerIDNum);
    call.cause ??= { code: Number(event.Cause ?? 0), text: event['Cause-txt'] ?? 'Unknown' };
    call.channels.delete(event.Uniqueid);
    if (call.channels.size > 0) return null;
    this.calls.delete(call.id);
    return this.finish(call);
  }

  /**
   * Forgets the calls none of whose channels is still up (they ended while events could not be read,
   * e.g. during an AMI reconnection). Returns how many were forgotten.
   */
  retainLive(liveUniqueids: ReadonlySet<string>): number {
    let forgotten = 0;
    for (const call of [...this.calls.values()]) {
      for (const uniqueid of [...call.channels])
        if (!liveUniqueids.has(uniqueid)) call.channels.delete(uniqueid);
      if (call.channels.size === 0) {
        this.calls.delete(call.id);
        forgotten += 1;
      }
    }
    return forgotten;
  }

  private learnCaller(call: CallInProgress, callerIdNum: string | undefined): void {
    call.caller = known(callerIdNum) ?? call.caller;
  }

  private finish(call: CallInProgress): FinishedCall {
    const endedAt = this.now();
    return {
      id: call.id,
      caller: call.caller ?? call.channel,
      callee: call.dialString ?? call.firstExten,
      channel: call.channel,
      dialStatus: call.dialStatus,
      startedAt: new Date(call.startedAt).toISOString(),
      answeredAt: call.answeredAt === null ? null : new Date(call.answeredAt).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
      durationSeconds: seconds(endedAt - call.startedAt),
      talkSeconds: call.answeredAt === null ? 0 : seconds(endedAt - call.answeredAt),
      cause: call.cause?.code ?? 0,
      causeText: call.cause?.text ?? 'Unknown',
    };
  }
}

function known(value: string | undefined): string | null {
  return value === undefined || value === '' || value === UNKNOWN ? null : value;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
