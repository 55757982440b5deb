import type { AmiDisconnectInfo, AmiReconnectingInfo } from '../../client/ami-client.types.js';
import type { AmiAuthenticationError } from '../../errors/ami-errors.js';

export type AmiLifecycleKind =
  | 'connected'
  | 'disconnected'
  | 'reconnecting'
  | 'loginFailed'
  | 'leadershipGained'
  | 'leadershipLost'
  | 'eventGap';

/** Logged in (the first time, or again after a loss). */
export interface AmiConnectedEvent {
  kind: 'connected';
  connection: string;
  amiVersion: string | null;
  /** False for the first login of this connection, true after a loss. */
  reconnected: boolean;
}

export interface AmiDisconnectedEvent extends AmiDisconnectInfo {
  kind: 'disconnected';
  connection: string;
}

export interface AmiReconnectingEvent extends AmiReconnectingInfo {
  kind: 'reconnecting';
  connection: string;
}

/** Asterisk refused the credentials. The client does not retry them: the connection stays down. */
export interface AmiLoginFailedEvent {
  kind: 'loginFailed';
  connection: string;
  error: AmiAuthenticationError;
}

/** Cluster mode: this replica became the group's leader (it now holds the AMI event session). */
export interface AmiLeadershipGainedEvent {
  kind: 'leadershipGained';
  connection: string;
  /** The fencing epoch of this leadership. */
  epoch: number;
}

/** Cluster mode: this replica is no longer the leader (lease lost, expired, fenced, or stopped). */
export interface AmiLeadershipLostEvent {
  kind: 'leadershipLost';
  connection: string;
  reason: string;
}

/**
 * Cluster mode, on every replica: a new leader took over, and events Asterisk emitted between `from` and
 * `to` may never have been seen (AMI has no replay). Rebuild state from the PBX (CoreShowChannels).
 */
export interface AmiEventGapEvent {
  kind: 'eventGap';
  connection: string;
  /** ms since the epoch: the last event's receive time before the gap; null when unknown. */
  from: number | null;
  /** ms since the epoch: when the new leader's event session logged in. */
  to: number;
  /** The new leader's fencing epoch. */
  epoch: number;
}

export type AmiLifecycleEvent =
  | AmiConnectedEvent
  | AmiDisconnectedEvent
  | AmiReconnectingEvent
  | AmiLoginFailedEvent
  | AmiLeadershipGainedEvent
  | AmiLeadershipLostEvent
  | AmiEventGapEvent;

/** What `@Inject(REQUEST)` gives a request-scoped provider whose lifecycle handler is running. */
export interface AmiLifecycleRequest {
  connection: string;
  lifecycle: AmiLifecycleEvent;
}
