/** A channel up on the PBX now, as GET /channels lists it. */
export interface LiveChannel {
  channel: string;
  uniqueid: string;
  /** Shared by every channel of the same call. */
  linkedid: string;
  /** Down, Ring, Ringing, Up, Busy... */
  state: string;
  callerIdNum: string;
  callerIdName: string;
  connectedLineNum: string;
  context: string;
  exten: string;
  /** When the channel was created (seen, or derived from CoreShowChannels' Duration). */
  since: string;
}
