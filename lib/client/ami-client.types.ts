import type { AmiError } from '../errors/ami-errors.js';
import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiDisconnectReason } from './ami-session.js';
import type { AmiEventContext } from './event-subscriptions.js';

export type AmiConnectionState =
  | 'disconnected'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'disconnecting';

export interface AmiDisconnectInfo {
  reason: AmiDisconnectReason;
  error?: Error;
  willReconnect: boolean;
}

export interface AmiReconnectingInfo {
  /** 1 for the first attempt after a loss or a failed connect. */
  attempt: number;
  /** ms until the attempt. */
  delay: number;
  /** Why the previous attempt failed, when one did. */
  error?: Error;
}

/** The client's lifecycle events, and `event` for every AMI event. */
export interface AmiClientEvents {
  /** The socket is open and the AMI banner was read. */
  connect: [{ amiVersion: string }];
  /** Logged in: actions can be sent and events flow. */
  login: [];
  disconnect: [AmiDisconnectInfo];
  reconnecting: [AmiReconnectingInfo];
  /** Connection, protocol and listener failures. Without an `error` listener they are only logged. */
  error: [AmiError];
  stateChange: [AmiConnectionState];
  event: [AmiEvent, AmiEventContext];
}

export interface AmiSendOptions {
  /** ms (`Infinity`: none); default: the client's `actionTimeout`. */
  timeout?: number;
  /** ms to wait for a connection when disconnected; default: the client's `waitForConnection`. */
  waitForConnection?: number;
}

export interface AmiOriginateOptions extends AmiSendOptions {
  /** Wait for the OriginateResponse event and settle by its `Response`. Default `true`. */
  waitForResult?: boolean;
}

export interface AmiConnectOptions {
  /** Keep trying failed attempts with the reconnect backoff until logged in. Default `false`: one attempt. */
  retry?: boolean;
}
