import type { AmiLogger } from '../client/ami-client.types.js';
import type { AmiEvent } from '../protocol/ami-message.js';

/** The public shapes of AmiLiveState: plain objects with Asterisk's field names. */

export interface AmiLiveOptions {
  /** Keep queues (QueueStatus at each sync, the Queue* events). Default `true`. */
  queues?: boolean;
  /** ms each list action of a resync may take. Default: the action client's actionTimeout. */
  listTimeout?: number;
  /** Where resync failures are reported. Default: a logger that writes nothing. */
  logger?: AmiLogger;
}

export interface AmiLiveChannel {
  Uniqueid: string;
  Linkedid: string;
  Channel: string;
  ChannelState: string;
  ChannelStateDesc: string;
  CallerIDNum: string;
  CallerIDName: string;
  ConnectedLineNum: string;
  ConnectedLineName: string;
  Context: string;
  Exten: string;
  Priority: string;
  Application?: string;
  ApplicationData?: string;
  BridgeUniqueid?: string;
  /** ms since epoch, when first seen (Newchannel) or estimated from Duration at a sync. */
  createdAt: number;
  /** ms, when it went Up. */
  answeredAt?: number;
}

export interface AmiLiveBridge {
  BridgeUniqueid: string;
  BridgeType: string;
  BridgeTechnology: string;
  BridgeCreator: string;
  BridgeName: string;
  /** Uniqueids of the channels in the bridge. */
  channels: string[];
}

export interface AmiLiveCall {
  Linkedid: string;
  /** Uniqueids of the call's channels. */
  channels: string[];
  startedAt: number;
  answeredAt?: number;
}

export interface AmiLiveQueueMember {
  Interface: string;
  MemberName: string;
  StateInterface: string;
  Status: string;
  Paused: string;
  InCall: string;
  CallsTaken: string;
  LastCall: string;
  Penalty: string;
}

export interface AmiLiveQueueCaller {
  Position: string;
  Channel: string;
  Uniqueid: string;
  CallerIDNum: string;
  CallerIDName: string;
  /** ms since epoch, when it joined (QueueCallerJoin) or estimated from Wait at a sync. */
  joinedAt: number;
}

export interface AmiLiveQueue {
  Queue: string;
  Strategy: string;
  Max: string;
  Calls: string;
  Holdtime: string;
  TalkTime: string;
  Completed: string;
  Abandoned: string;
  members: AmiLiveQueueMember[];
  callers: AmiLiveQueueCaller[];
}

export interface AmiLiveSnapshot {
  at: number;
  channels: AmiLiveChannel[];
  bridges: AmiLiveBridge[];
  calls: AmiLiveCall[];
  queues: AmiLiveQueue[];
}

export type AmiLiveEntity = 'channel' | 'bridge' | 'call' | 'queue';

export type AmiLiveValue = AmiLiveChannel | AmiLiveBridge | AmiLiveCall | AmiLiveQueue;

export interface AmiLiveChange {
  entity: AmiLiveEntity;
  kind: 'added' | 'changed' | 'removed';
  id: string;
  /** The state after (before, for removed). */
  value: AmiLiveValue;
  /** null when a resync made the change. */
  cause: AmiEvent | null;
}

export interface AmiLiveSizes {
  channels: number;
  bridges: number;
  calls: number;
  queues: number;
  queueMembers: number;
  queueCallers: number;
}
