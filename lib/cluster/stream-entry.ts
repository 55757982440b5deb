import type { AmiEvent } from '../protocol/ami-message.js';

/**
 * One event as a stream entry's fields: `event` (the event as JSON, Asterisk's header names and values
 * as received), `epoch` (the fencing epoch of the leader that appended it) and `at` (ms since the epoch
 * when the leader received it: consumers measure end-to-end latency from it).
 */
export interface AmiStreamEntryFields {
  event: string;
  epoch: string;
  at: string;
}

/** An event read back from the stream. `id` is the stream entry ID: stable, unique, ordered. */
export interface AmiStreamEvent {
  readonly id: string;
  readonly event: AmiEvent;
  readonly epoch: number;
  readonly receivedAt: number;
}

/** The flat field/value list XADD takes. */
export function encodeStreamEntry(event: AmiEvent, epoch: number, receivedAt: number): string[] {
  return ['event', JSON.stringify(event), 'epoch', String(epoch), 'at', String(receivedAt)];
}

/** Decodes XREAD/XREADGROUP's `[id, [field, value, ...]]`; null for an entry that is not ours. */
export function decodeStreamEntry(id: string, fields: readonly string[]): AmiStreamEvent | null {
  let event: string | undefined;
  let epoch: string | undefined;
  let at: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    if (name === 'event') event = fields[i + 1];
    else if (name === 'epoch') epoch = fields[i + 1];
    else if (name === 'at') at = fields[i + 1];
  }
  if (event === undefined || epoch === undefined || at === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(event);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return { id, event: parsed as AmiEvent, epoch: Number(epoch), receivedAt: Number(at) };
  } catch {
    return null;
  }
}
