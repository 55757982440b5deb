import type { AmiStreamEvent } from '../stream-entry.js';
import type { AmiStreamDelivery, AmiStreamHandler } from './stream-consumer.types.js';

export type HandlerOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

const OK: HandlerOutcome = { ok: true };

/**
 * Runs a handler and tells how it settled. A synchronous handler's outcome comes back synchronously
 * (no promise per event on the fast path); the promise returned for an async one never rejects.
 */
export function runHandler(
  handler: AmiStreamHandler,
  event: AmiStreamEvent,
  meta: AmiStreamDelivery,
): HandlerOutcome | Promise<HandlerOutcome> {
  let result: unknown;
  try {
    result = handler(event, meta);
  } catch (error) {
    return { ok: false, error };
  }
  if (result !== null && typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
    return Promise.resolve(result as PromiseLike<unknown>).then(
      () => OK,
      (error: unknown) => ({ ok: false, error }),
    );
  }
  return OK;
}

/** The error's message for a log line or a dead-letter entry, bounded. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 1_000 ? `${message.slice(0, 1_000)}…` : message;
}
