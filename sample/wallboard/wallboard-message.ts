import type {
  AmiConnectionState,
  AmiLiveCall,
  AmiLiveChange,
  AmiLiveChannel,
  AmiLiveQueue,
} from 'nestjs-ami';

/** One finished call as the wallboard's call log shows it. */
export interface WallboardFinishedCall {
  /** The call's Linkedid. */
  id: string;
  from: string;
  to: string;
  /** answered, busy, noAnswer, failed, cancelled (or Asterisk's DialStatus when that is all there is). */
  outcome: string;
  /** ms since epoch. */
  endedAt: number;
  durationMs: number;
  talkTimeMs: number;
  cause: string;
  causeTxt: string;
}

/** Everything the page needs to draw itself from nothing: sent first on each stream, and after each reconnection. */
export interface WallboardSnapshot {
  /** The server's clock (ms): the page measures durations against it, not against its own clock. */
  at: number;
  /** Whether the live state has finished its first sync with Asterisk. */
  synced: boolean;
  connection: AmiConnectionState;
  channels: AmiLiveChannel[];
  calls: AmiLiveCall[];
  queues: AmiLiveQueue[];
  /** The latest finished calls, newest first. */
  log: WallboardFinishedCall[];
}

/** A live-state change as sent to the page: without its cause event (the page has no use for it). */
export type WallboardChange = Omit<AmiLiveChange, 'cause'> & { at: number; synced: boolean };

/** The server-sent events of GET /wallboard/events, by their `event:` name. */
export type WallboardMessage =
  | { type: 'snapshot'; data: WallboardSnapshot }
  | { type: 'change'; data: WallboardChange }
  | { type: 'finished'; data: WallboardFinishedCall }
  | { type: 'connection'; data: { state: AmiConnectionState; at: number } };
