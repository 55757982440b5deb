import type { AmiEventList } from '../client/ami-client.types.js';
import { type AmiMessage, headerValues } from '../protocol/ami-message.js';
import { escapeUnprintable } from './printable.js';

/** The client's own correlation tag: meaningless to the reader. */
const HIDDEN = new Set(['actionid']);

/** A message as Asterisk writes it: `Key: Value` lines, a repeated header once per value. */
export function formatMessageBlock(message: AmiMessage): string {
  const lines: string[] = [];
  for (const header in message) {
    if (HIDDEN.has(header.toLowerCase())) continue;
    const name = escapeUnprintable(header);
    for (const value of headerValues(message, header)) lines.push(`${name}: ${escapeUnprintable(value)}`);
  }
  return lines.join('\n');
}

/** The response, then each list item, then the list's closing event, separated by blank lines. */
export function formatActionResult(result: AmiEventList): string {
  const messages: AmiMessage[] = [result.response, ...result.events];
  if (result.complete !== undefined) messages.push(result.complete);
  return messages.map(formatMessageBlock).join('\n\n');
}

/** One JSON document: `{ "response": {...}, "events": [...], "complete": {...} }`, headers as received. */
export function formatActionResultJson(result: AmiEventList): string {
  const document: Record<string, unknown> = { response: result.response, events: result.events };
  if (result.complete !== undefined) document.complete = result.complete;
  return JSON.stringify(document, null, 2);
}
