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

/**
 * A gap marker read back from the stream: events Asterisk emitted between `from` (the `at` of the entry
 * before it, null when it was the stream's first) and `to` (the leader's login) were seen by no replica.
 * Its fields: `gap` (JSON { from, to, epoch }), `epoch`, `at` (= to); no `event` field, so readers of
 * events (decodeStreamEntry) skip it.
 */
export interface AmiStreamGap {
  readonly id: string;
  readonly from: number | null;
  readonly to: number;
  readonly epoch: number;
}

/** The fields of a gap marker whose `from` is already known (the publish script computes it in Redis). */
export function encodeGapEntry(from: number | null, to: number, epoch: number): string[] {
  return ['gap', JSON.stringify({ from, to, epoch }), 'epoch', String(epoch), 'at', String(to)];
}

/** Decodes a gap marker's fields; null for any other entry. */
export function decodeGapEntry(id: string, fields: readonly string[]): AmiStreamGap | null {
  let gap: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'gap') gap = fields[i + 1];
  }
  if (gap === undefined) return null;
  try {
    const parsed = JSON.parse(gap) as { from?: unknown; to?: unknown; epoch?: unknown } | null;
    if (parsed === null || typeof parsed !== 'object') return null;
    const { from, to, epoch } = parsed;
    if (typeof to !== 'number' || typeof epoch !== 'number') return null;
    if (from !== null && typeof from !== 'number') return null;
    return { id, from, to, epoch };
  } catch {
    return null;
  }
}
