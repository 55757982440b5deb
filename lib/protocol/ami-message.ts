/** A header's value: a string, or every value in order when the server repeated the header. */
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

/** Every value of a header, as an array, whether it appeared once, several times, or not at all. */
export function headerValues(message: AmiMessage, header: string): string[] {
  const value = message[header];
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
