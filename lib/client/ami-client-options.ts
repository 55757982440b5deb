import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { AmiInvalidActionError } from '../errors/ami-errors.js';
import { type AmiEncoding, DEFAULT_FRAME_LIMITS } from '../protocol/frame-parser.js';
import type { AmiReconnectOptions } from './ami-client.types.js';
import { type AmiLogger, type AmiLogSink, silentLogger, toLogSink } from './ami-logger.js';
import { DEFAULT_RECONNECT } from './backoff.js';

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

export const DEFAULT_KEEP_ALIVE: AmiKeepAliveOptions = { interval: 15_000, maxMissed: 2 };

export type ResolvedAmiClientOptions = Required<
  Omit<AmiClientOptions, 'reconnect' | 'keepAlive' | 'tls' | 'events' | 'logger'>
> & {
  logger: AmiLogSink;
  tls: TlsConnectionOptions | null;
  events: string;
  reconnect: AmiReconnectOptions | null;
  keepAlive: AmiKeepAliveOptions | null;
};

function eventsHeader(events: AmiClientOptions['events']): string {
  if (events === undefined || events === true) return 'on';
  if (events === false) return 'off';
  return events.length === 0 ? 'off' : events.join(',');
}

function orDefaults<T>(value: boolean | Partial<T> | undefined, defaults: T): T | null {
  if (value === false) return null;
  if (value === undefined || value === true) return { ...defaults };
  return { ...defaults, ...value };
}

// Checked when the client is built, so a bad credential fails before any socket opens (an MD5 login
// would otherwise write its Challenge first). The value is never echoed: it may be the secret.
function loginField(name: string, value: string): string {
  if (typeof value === 'string' && /[\r\n\0]/.test(value)) {
    throw new AmiInvalidActionError(`${name} contains CR, LF or NUL, which would inject AMI headers`);
  }
  return value;
}

/** A timeout in ms: positive, or Infinity for none. */
export function checkTimeout(name: string, value: number): number {
  if (!(typeof value === 'number' && value > 0)) {
    throw new AmiInvalidActionError(
      `${name} must be a positive number of ms (or Infinity), not ${String(value)}`,
    );
  }
  return value;
}

export function resolveOptions(options: AmiClientOptions): ResolvedAmiClientOptions {
  const tls =
    options.tls === undefined || options.tls === false ? null : options.tls === true ? {} : options.tls;
  const resolved = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? (tls ? 5039 : 5038),
    username: loginField('username', options.username),
    auth: options.auth ?? 'plain',
    tls,
    events: eventsHeader(options.events),
    actionIdPrefix: options.actionIdPrefix ?? '',
    connectTimeout: options.connectTimeout ?? 10_000,
    loginTimeout: options.loginTimeout ?? 10_000,
    actionTimeout: checkTimeout('actionTimeout', options.actionTimeout ?? 10_000),
    waitForConnection: options.waitForConnection ?? 0,
    reconnect: orDefaults(options.reconnect, DEFAULT_RECONNECT),
    keepAlive: orDefaults(options.keepAlive, DEFAULT_KEEP_ALIVE),
    logger: toLogSink(options.logger ?? silentLogger),
    encoding: options.encoding ?? 'utf8',
    maxFrameSize: options.maxFrameSize ?? DEFAULT_FRAME_LIMITS.maxFrameSize,
    maxHeaders: options.maxHeaders ?? DEFAULT_FRAME_LIMITS.maxHeaders,
    sensitiveHeaders: options.sensitiveHeaders ?? [],
    traceFrames: options.traceFrames ?? false,
    logoffTimeout: options.logoffTimeout ?? 2_000,
  };
  // Kept out of every enumerable view (JSON.stringify, spreads, util.inspect): only a read gets it.
  const secret = loginField('secret', options.secret);
  return Object.defineProperty(resolved, 'secret', {
    get: () => secret,
    enumerable: false,
  }) as typeof resolved & {
    readonly secret: string;
  };
}
