import { type AmiEvent, headerValues } from '../protocol/ami-message.js';
import { quoteIfNeeded } from './printable.js';

/** Shown once, as the line's second word; Privilege is the event class, noise on a terminal. */
const NOT_AS_FIELDS = new Set(['Event', 'Privilege']);

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** `14:02:11.123`, local time. */
export function clockTime(date: Date): string {
  const millis = String(date.getMilliseconds()).padStart(3, '0');
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}.${millis}`;
}

/**
 * One readable line: time received, event name, then every header as `Key=value` in the order
 * Asterisk sent them (a repeated header appears once per value). Values with spaces, quotes, `=` or
 * control characters are double-quoted and escaped, so the line splits back unambiguously.
 */
export function formatEventLine(event: AmiEvent, receivedAt: Date): string {
  const words = [clockTime(receivedAt), quoteIfNeeded(event.Event)];
  for (const header in event) {
    if (NOT_AS_FIELDS.has(header)) continue;
    const name = quoteIfNeeded(header);
    for (const value of headerValues(event, header)) words.push(`${name}=${quoteIfNeeded(value)}`);
  }
  return words.join(' ');
}

/**
 * One JSON line: `receivedAt` (ISO 8601, UTC) then the headers exactly as received; a repeated header
 * is an array of its values.
 */
export function formatEventJson(event: AmiEvent, receivedAt: Date): string {
  return JSON.stringify({ receivedAt: receivedAt.toISOString(), ...event });
}
