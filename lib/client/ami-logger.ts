import { AmiInvalidActionError } from '../errors/ami-errors.js';
import type { AmiLogger } from './ami-client.types.js';

type LogMethod = (message: unknown, ...optionalParams: unknown[]) => unknown;

/** The client's side of its logger: one string per line, and no call that can throw. */
export interface AmiLogSink {
  /** The logger given. */
  readonly target: AmiLogger;
  log(message: string, ...optionalParams: unknown[]): void;
  warn(message: string, ...optionalParams: unknown[]): void;
  error(message: string, ...optionalParams: unknown[]): void;
  debug(message: string, ...optionalParams: unknown[]): void;
}

const ignore = () => undefined;

/** The default: says nothing. */
export const silentLogger: AmiLogger = {
  log: ignore,
  error: ignore,
  warn: ignore,
  debug: ignore,
  verbose: ignore,
};

type MethodName = keyof AmiLogger;

function method(logger: AmiLogger, name: MethodName): LogMethod | undefined {
  const found = (logger as Partial<Record<MethodName, unknown>>)[name];
  return typeof found === 'function' ? (found as LogMethod) : undefined;
}

/** Refuses at construction a logger the client could not log through, naming what it lacks. */
function checkLogger(logger: unknown): asserts logger is AmiLogger {
  if ((typeof logger !== 'object' && typeof logger !== 'function') || logger === null) {
    throw new AmiInvalidActionError(
      `logger must be an object with warn(), error() and info() or log() methods, not ${typeof logger}`,
    );
  }
  const missing: string[] = [];
  if (method(logger as AmiLogger, 'info') === undefined && method(logger as AmiLogger, 'log') === undefined)
    missing.push('info() or log()');
  for (const name of ['warn', 'error'] as const)
    if (method(logger as AmiLogger, name) === undefined) missing.push(`${name}()`);
  if (missing.length > 0) {
    throw new AmiInvalidActionError(
      `logger lacks ${missing.join(', ')}: give Nest's Logger, console, pino, winston, or an object with ` +
        'warn(), error() and info() or log()',
    );
  }
}

/**
 * Calls the logger's method as a method (pino reads `this`). A logger that throws, or whose promise
 * rejects, loses its line and nothing else: it runs inside socket callbacks and listener loops.
 */
function safely(
  logger: AmiLogger,
  pick: () => LogMethod | undefined,
  message: string,
  optionalParams: unknown[],
): void {
  try {
    const result = pick()?.call(logger, message, ...optionalParams);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, ignore);
    }
  } catch {
    // Where to? The logger is what failed.
  }
}

/** The client's view of `logger`, checked now; methods are looked up at each call, as a spy expects. */
export function toLogSink(logger: unknown): AmiLogSink {
  checkLogger(logger);
  return {
    target: logger,
    log: (message, ...params) =>
      safely(logger, () => method(logger, 'info') ?? method(logger, 'log'), message, params),
    warn: (message, ...params) => safely(logger, () => method(logger, 'warn'), message, params),
    error: (message, ...params) => safely(logger, () => method(logger, 'error'), message, params),
    debug: (message, ...params) => safely(logger, () => method(logger, 'debug'), message, params),
  };
}
