import type { AmiEvent } from '../protocol/ami-message.js';
import { EventFrameReader, eventFrame } from './event-frames.js';

/**
 * The events of one stream entry, as its fields: `frames` (the events as the AMI frames they came in,
 * one after another: event-frames.ts), `epoch` (the fencing epoch of the leader that appended it) and
 * `at` (ms since the epoch when the leader received each event, joined by commas: consumers measure
 * end-to-end latency from it). The leader packs the events of one burst into one entry, up to its
 * packLimit: Redis, the leader and every reader then pay their per-entry costs once per burst; each event
 * keeps an ID of its own (eventIdOf). An entry written by an earlier version holds one event as JSON in
 * `event` instead of `frames`; it is read the same way.
 */
export interface AmiStreamEntryFields {
  frames?: string;
  event?: string;
  epoch: string;
  at: string;
}

/** An event read back from the stream. */
export interface AmiStreamEvent {
  /** The event's ID (eventIdOf): stable, unique, and in stream order within and across entries. */
  readonly id: string;
  /** The stream entry that holds it. */
  readonly entryId: string;
  /** Its place in that entry (0 for an entry of one event). */
  readonly index: number;
  readonly event: AmiEvent;
  readonly epoch: number;
  readonly receivedAt: number;
}

/**
 * An event's ID: the entry ID for an entry of one event, `<entry ID>#<index>` for a packed entry's events.
 * The same on every delivery.
 */
export function eventIdOf(entryId: string, index: number, count: number): string {
  return count === 1 ? entryId : `${entryId}#${index}`;
}

/** The flat field/value list XADD takes for an entry of one event. */
export function encodeStreamEntry(event: AmiEvent, epoch: number, receivedAt: number): string[] {
  return ['frames', eventFrame(event), 'epoch', String(epoch), 'at', String(receivedAt)];
}

/** The flat field/value list XADD takes for a packed entry (tests and tools; the leader packs in the script). */
export function encodePackedEntry(
  events: readonly AmiEvent[],
  epoch: number,
  receivedAt: readonly number[],
): string[] {
  if (events.length !== receivedAt.length) throw new TypeError('one received-at time per event');
  const frames = events.map((event) => eventFrame(event)).join('');
  return ['frames', frames, 'epoch', String(epoch), 'at', receivedAt.join(',')];
}

const reader = new EventFrameReader();

/**
 * Decodes XREAD/XREADGROUP's `[id, [field, value, ...]]` into its events, in order; null for an entry
 * that holds no event of ours (a gap marker, something else, or a malformed one).
 */
export function decodeStreamEntry(id: string, fields: readonly string[]): AmiStreamEvent[] | null {
  let frames: string | undefined;
  let json: string | undefined;
  let epoch: string | undefined;
  let at: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    if (name === 'frames') frames = fields[i + 1];
    else if (name === 'event') json = fields[i + 1];
    else if (name === 'epoch') epoch = fields[i + 1];
    else if (name === 'at') at = fields[i + 1];
  }
  if (epoch === undefined || at === undefined) return null;
  const events = frames !== undefined ? reader.read(frames) : json !== undefined ? fromJson(json) : null;
  if (events === null || events.length === 0) return null;
  const times = at.split(',');
  if (times.length !== events.length) return null;
  const leader = Number(epoch);
  const decoded: AmiStreamEvent[] = new Array(events.length);
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    if (typeof event.Event !== 'string') return null;
    decoded[index] = {
      id: eventIdOf(id, index, events.length),
      entryId: id,
      index,
      event,
      epoch: leader,
      receivedAt: Number(times[index]),
    };
  }
  return decoded;
}

function fromJson(json: string): AmiEvent[] | null {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? [parsed as AmiEvent]
      : null;
  } catch {
    return null;
  }
}

/** The fields of one event of an entry as an entry of its own (a dead letter holds one event). */
export function singleEventFields(event: AmiStreamEvent): string[] {
  return encodeStreamEntry(event.event, event.epoch, event.receivedAt);
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
