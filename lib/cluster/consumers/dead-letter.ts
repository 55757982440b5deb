import type { Redis } from 'ioredis';
import type { AmiStreamEvent } from '../stream-entry.js';

/** An event given up on: its handler failed on its last allowed delivery, or it came back past that. */
export interface GivenUpEvent {
  readonly event: AmiStreamEvent;
  readonly deliveries: number;
  readonly error: unknown;
}

/** Why and where an event was given up on. */
export interface DeadLetterReason {
  readonly group: string;
  readonly consumer: string;
  readonly deliveries: number;
  readonly error: string;
}

/**
 * A dead-letter entry holds one event: its fields as an entry of one event (frames, epoch, at; an event of
 * a packed entry too), then `id` (the event ID, eventIdOf), `group`, `consumer` (who gave up),
 * `deliveries`, `error` (the last error's message) and `failedAt` (ms since the epoch).
 */
export function deadLetterFields(
  id: string,
  originalFields: readonly string[],
  reason: DeadLetterReason,
  now = Date.now(),
): string[] {
  return [
    ...originalFields,
    'id',
    id,
    'group',
    reason.group,
    'consumer',
    reason.consumer,
    'deliveries',
    String(reason.deliveries),
    'error',
    reason.error,
    'failedAt',
    String(now),
  ];
}

/** Appends dead letters in one round trip, the stream capped near `retention` entries. */
export async function appendDeadLetters(
  redis: Redis,
  stream: string,
  retention: number,
  letters: readonly string[][],
): Promise<void> {
  if (letters.length === 0) return;
  const pipeline = redis.pipeline();
  for (const fields of letters) pipeline.call('XADD', stream, 'MAXLEN', '~', retention, '*', ...fields);
  const results = (await pipeline.exec()) ?? [];
  const failure = results.find(([error]) => error !== null);
  if (failure) throw failure[0];
}
