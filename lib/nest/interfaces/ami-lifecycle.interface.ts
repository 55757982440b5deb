import type { AmiDisconnectInfo, AmiReconnectingInfo } from '../../client/ami-client.types.js';
import type { AmiAuthenticationError } from '../../errors/ami-errors.js';

export type AmiLifecycleKind = 'connected' | 'disconnected' | 'reconnecting' | 'loginFailed';

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

export type AmiLifecycleEvent =
  | AmiConnectedEvent
  | AmiDisconnectedEvent
  | AmiReconnectingEvent
  | AmiLoginFailedEvent;

/** What `@Inject(REQUEST)` gives a request-scoped provider whose lifecycle handler is running. */
export interface AmiLifecycleRequest {
  connection: string;
  lifecycle: AmiLifecycleEvent;
}
