import type { AmiError } from '../errors/ami-errors.js';
import type { AmiEvent, AmiResponse } from '../protocol/ami-message.js';

/** The client's public types: what its methods take, return and emit. */

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

/** The client's lifecycle events. AMI events are listened to with `onEvent(name | '*', listener)`. */
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

/** What a list action resolves to: its response, the items in order, and the closing `...Complete` event. */
export interface AmiEventList<TItem extends AmiEvent = AmiEvent> {
  response: AmiResponse;
  events: TItem[];
  /** Absent only when the server answered without starting a list. */
  complete?: AmiEvent;
}

export type AmiDisconnectReason =
  /** Logoff answered with Goodbye, or `disconnect()`. */
  | 'logoff'
  /** The peer closed the connection. */
  | 'closed'
  /** Asterisk announced its shutdown or restart. */
  | 'shutdown'
  /** Pings went unanswered: a half-open or hung peer. */
  | 'keepalive'
  /** The peer broke the protocol or the frame limits. */
  | 'protocol'
  /** A socket error (reset, TLS failure...). */
  | 'error'
  /** `destroy()`. */
  | 'destroyed';

export interface AmiReconnectOptions {
  /** Delay before the first attempt after a loss, in ms. */
  initialDelay: number;
  /** The delay never grows past this, jitter included, in ms. */
  maxDelay: number;
  /** Each attempt's delay is the previous one times this. */
  factor: number;
  /** 0..1: each delay is spread uniformly over +/- this fraction, so a PBX restart is not met by every client at once. */
  jitter: number;
  /** Attempts before giving up (Infinity: never give up). */
  maxAttempts: number;
}

/** Says whether an event answers one of this client's actions (a list item, an OriginateResponse). */
export interface AmiEventContext {
  fromAction: boolean;
  actionId?: string;
}

export type AmiEventListener<TEvent extends AmiEvent = AmiEvent> = (
  event: TEvent,
  context: AmiEventContext,
) => unknown;
