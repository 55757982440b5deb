import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { AmiInvalidActionError } from '../errors/ami-errors.js';
import { DEFAULT_FRAME_LIMITS } from '../protocol/frame-parser.js';
import type { AmiClientOptions, AmiKeepAliveOptions, AmiReconnectOptions } from './ami-client.types.js';
import { type AmiLogSink, silentLogger, toLogSink } from './ami-logger.js';
import { DEFAULT_RECONNECT } from './backoff.js';

export const DEFAULT_KEEP_ALIVE: AmiKeepAliveOptions = { interval: 15_000, maxMissed: 2 };

export type ResolvedAmiClientOptions = Required<
  Omit<AmiClientOptions, 'reconnect' | 'keepAlive' | 'tls' | 'events' | 'logger' | 'eventFilter'>
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
  if (!Array.isArray(events) || events.some((name) => typeof name !== 'string')) {
    throw new AmiInvalidActionError(
      `events must be true, false or a list of event classes such as ['call', 'system'], not ${JSON.stringify(events)}`,
    );
  }
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
