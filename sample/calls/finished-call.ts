/** One call, logged once its last channel has hung up. */
export interface FinishedCall {
  /** The call's Linkedid: the Uniqueid of its first channel. */
  id: string;
  /** The first channel's caller ID number, or its channel name when it has none. */
  caller: string;
  /** What was dialled (DialBegin's DialString), or the extension the first channel ran. */
  callee: string;
  /** The first channel. */
  channel: string;
  /** The last DialEnd's status (ANSWER, BUSY, NOANSWER...), or null when nothing was dialled. */
  dialStatus: string | null;
  startedAt: string;
  /** When the call was answered (DialEnd ANSWER, or the first channel going Up), or null. */
  answeredAt: string | null;
  endedAt: string;
  /** From the first channel to the last hangup, in seconds (one decimal). */
  durationSeconds: number;
  /** From the answer to the last hangup, in seconds (one decimal); 0 when never answered. */
  talkSeconds: number;
  /** The hangup cause of the channel that hung up first: 16 is Normal Clearing. */
  cause: number;
  causeText: string;
  /** Set when the caller left a callback request in the sample IVR during this call. */
  callbackRequested?: true;
}
