/**
 * A header's value: a string, or every value in order when the server repeated the header (except the
 * identity headers `Event`, `Response` and `ActionID`: see `headerValues`).
 */
export type AmiHeaderValue = string | string[];

/** One AMI message as received: Asterisk's header names, as spelled on the wire. */
export interface AmiMessage {
  [header: string]: AmiHeaderValue | undefined;
}

/** An event: every message that carries an `Event:` header, including OriginateResponse. */
export interface AmiEvent extends AmiMessage {
  Event: string;
}

/** A response to an action: `Response: Success | Error | Goodbye | Follows`. */
export interface AmiResponse extends AmiMessage {
  Response: string;
  ActionID?: string;
  Message?: string;
}

// Header names come from the peer: records without Object.prototype in their chain let names such as
// `__proto__` or `constructor` be stored and looked up like any other header.
function HeaderRecord() {}
HeaderRecord.prototype = Object.create(null);

export function createHeaderRecord(): AmiMessage {
  return new (HeaderRecord as unknown as new () => AmiMessage)();
}

/**
 * `Event`, `Response` and `ActionID` name a message: each is always one string, the FIRST value the server
 * sent (Asterisk writes its own before any header it copies from another session's `Action: UserEvent`).
 * When one was repeated, every value, in order, is also kept under `'<Name>:all'`: a key with a colon
 * never comes from the wire, so it collides with no header.
 */
const IDENTITY_HEADERS: ReadonlySet<string> = new Set(['Event', 'Response', 'ActionID']);

export function isIdentityHeader(name: string): boolean {
  return IDENTITY_HEADERS.has(name);
}

/** The key holding every value of a repeated identity header: `'Event:all'`. */
export function allValuesKey(name: string): string {
  return `${name}:all`;
}

/**
 * Every value of a header, as an array, whether it appeared once, several times, or not at all. For a
 * repeated `Event`, `Response` or `ActionID`: every value, in order, from `'<Name>:all'`.
 */
export function headerValues(message: AmiMessage, header: string): string[] {
  const value = (isIdentityHeader(header) ? message[allValuesKey(header)] : undefined) ?? message[header];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** The first value of a header (Asterisk itself reads the first of a repeated header). */
export function firstHeaderValue(message: AmiMessage, header: string): string | undefined {
  const value = message[header];
  return typeof value === 'string' ? value : value?.[0];
}

export function isEvent(message: AmiMessage): message is AmiEvent {
  return message.Event !== undefined;
}
