import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { AmiError } from '../errors/ami-errors.js';
import type { AmiEvent, AmiResponse } from '../protocol/ami-message.js';
import type { AmiEncoding } from '../protocol/frame-parser.js';
import type { AmiEventFilterOptions } from './filters/event-filter.types.js';

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

export interface AmiKeepAliveOptions {
  /** A Ping every `interval` ms while logged in. */
  interval: number;
  /** Pings in a row left unanswered (each waits `interval`) before the peer is declared dead. */
  maxMissed: number;
}

export interface AmiClientOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 5038, or 5039 with `tls`. */
  port?: number;
  username: string;
  secret: string;
  /** `md5` logs in by challenge: the secret never crosses the wire. Default `plain`. */
  auth?: 'plain' | 'md5';
  /** AMI over TLS: `true`, or Node's TLS options (`ca`, `rejectUnauthorized`...). Certificates are verified by default. */
  tls?: boolean | TlsConnectionOptions;
  /** Events sent by the server: `true` (all), `false` (none) or a class list such as `['call', 'system']`. Default `true`. */
  events?: boolean | readonly string[];
  /**
   * Filters at the source: at each login, before events flow, Asterisk is told (Filter action) to send
   * only the events named in `include`; others are dropped here too, whatever Asterisk sends. Needs the
   * AMI user's `system` write permission, else one warning and the session stays unfiltered.
   */
  eventFilter?: AmiEventFilterOptions;
  /** Prepended to every ActionID, to tell this client's actions apart in Asterisk's logs. */
  actionIdPrefix?: string;
  /** TCP/TLS connect plus banner, in ms. Default 10 000. */
  connectTimeout?: number;
  /** Login (and MD5 challenge), in ms. Default 10 000. */
  loginTimeout?: number;
  /** Default timeout of `send`, in ms (`Infinity`: none). Default 10 000. */
  actionTimeout?: number;
  /** How long `send` waits for a connection when called while disconnected, in ms. Default 0: reject at once. */
  waitForConnection?: number;
  /** Reconnect after a loss. `false`, `true` (defaults) or backoff settings. Default `true`. */
  reconnect?: boolean | Partial<AmiReconnectOptions>;
  /** Dead-peer detection. `false`, `true` (defaults) or settings. Default every 15 s, dead after 2 missed. */
  keepAlive?: boolean | Partial<AmiKeepAliveOptions>;
  /**
   * Default: silent. Nest's Logger, `console`, pino, winston, or any object with `warn()`, `error()` and
   * `info()` or `log()`; anything else is refused here. A logger that throws loses its line, nothing else.
   */
  logger?: AmiLogger;
  /** Character encoding of the stream. Default `utf8`. */
  encoding?: AmiEncoding;
  /** Largest message accepted, in characters. Default 8 MiB. */
  maxFrameSize?: number;
  /** Most header lines in one message. Default 100 000. */
  maxHeaders?: number;
  /** Headers whose values are redacted from logs and errors, besides Secret and Key. */
  sensitiveHeaders?: readonly string[];
  /** Log every frame sent and received at debug level, secrets redacted. Default `false`. */
  traceFrames?: boolean;
  /** How long `disconnect()` waits for Logoff's Goodbye and the close, in ms. Default 2 000. */
  logoffTimeout?: number;
}

/**
 * What the client logs through: Nest's Logger or LoggerService, `console`, pino, winston, or any object
 * with `warn()`, `error()` and `info()` or `log()`. Informational lines go to `info()` when there is one
 * (winston's `log()` takes a level first), else to `log()`; frame traces to `debug()` when there is one.
 */
// Method syntax, not function-typed properties: a logger whose methods take `message: string` still fits.
export interface AmiLogger {
  log?(message: unknown, ...optionalParams: unknown[]): unknown;
  info?(message: unknown, ...optionalParams: unknown[]): unknown;
  error(message: unknown, ...optionalParams: unknown[]): unknown;
  warn(message: unknown, ...optionalParams: unknown[]): unknown;
  debug?(message: unknown, ...optionalParams: unknown[]): unknown;
  verbose?(message: unknown, ...optionalParams: unknown[]): unknown;
}
