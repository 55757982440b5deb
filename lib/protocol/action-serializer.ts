import { AmiInvalidActionError } from '../errors/ami-errors.js';
import type { AmiEncoding } from './frame-parser.js';

export type AmiActionHeaderValue = string | number | boolean | readonly (string | number | boolean)[];

/**
 * An action as the user writes it: `Action`, any headers (arrays repeat the header), optional
 * channel `variables`, written as `Variable: name=value` headers, and optional `extraHeaders`,
 * written as plain headers (how a typed action carries headers its type does not declare).
 */
export interface AmiAction {
  Action: string;
  variables?: Readonly<Record<string, string | number | boolean>>;
  extraHeaders?: Readonly<Record<string, AmiActionHeaderValue | null | undefined>>;
  [header: string]:
    | AmiActionHeaderValue
    | Readonly<Record<string, AmiActionHeaderValue | null | undefined>>
    | undefined
    | null;
}

const FORBIDDEN_IN_VALUE = /[\r\n\0]/;
const FORBIDDEN_IN_NAME = /[\r\n\0:]/;
const VARIABLES = 'variables';
const EXTRA_HEADERS = 'extraHeaders';

/**
 * Writes an action as one AMI frame, its ActionID first after Action. Refuses, before anything is
 * written, every name or value that could inject a header or end the frame early. `null` and `undefined`
 * mean "no value" at every level (a header, an array item, a variable, an extra header): left out.
 */
export function serializeAction(action: AmiAction, actionId: string): string {
  const name = Object.hasOwn(action, 'Action') ? action.Action : undefined;
  if (typeof name !== 'string' || name.length === 0) {
    throw new AmiInvalidActionError('an action needs a non-empty "Action" header');
  }
  checkValue('Action', name);
  checkValue('ActionID', actionId);
  let frame = `Action: ${name}\r\nActionID: ${actionId}\r\n`;
  // Own enumerable properties only, at every level: a key someone put on Object.prototype is no header.
  const headers = Object.keys(action);
  for (let index = 0; index < headers.length; index += 1) {
    const header = headers[index];
    if (header === 'Action') continue;
    const value = action[header];
    if (value === undefined || value === null) continue;
    if (header === VARIABLES) {
      frame += serializeVariables(value);
      continue;
    }
    if (header === EXTRA_HEADERS) {
      frame += serializeExtraHeaders(value);
      continue;
    }
    checkName(header);
    const lower = header.toLowerCase();
    if (lower === 'actionid') {
      throw new AmiInvalidActionError(
        'ActionID is assigned by the client; use actionIdPrefix to tag actions',
      );
    }
    if (lower === 'action') {
      throw new AmiInvalidActionError(`"${header}" would repeat the Action header`);
    }
    if (Array.isArray(value)) {
      frame += arrayLines(header, value);
    } else {
      frame += headerLine(header, value as string | number | boolean);
    }
  }
  return `${frame}\r\n`;
}

/** The entries of `variables` or `extraHeaders`, which must be a plain object of `entry` -> value. */
function entriesOf(field: string, entry: string, value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AmiInvalidActionError(`"${field}" must be an object of ${entry} -> value`);
  }
  return Object.entries(value);
}

function serializeVariables(variables: unknown): string {
  let lines = '';
  for (const [name, value] of entriesOf(VARIABLES, 'name', variables)) {
    if (value === undefined || value === null) continue;
    if (name.length === 0 || name.includes('=') || FORBIDDEN_IN_NAME.test(name) || !name.isWellFormed()) {
      throw new AmiInvalidActionError(`variable name ${JSON.stringify(name)} is not allowed`);
    }
    lines += `Variable: ${escapeVariable(name)}=${escapeVariable(stringify(value, `variable "${name}"`))}\r\n`;
  }
  return lines;
}

// Headers a typed action does not declare, written as plain headers under the same rules.
function serializeExtraHeaders(headers: unknown): string {
  let lines = '';
  for (const [header, value] of entriesOf(EXTRA_HEADERS, 'header', headers)) {
    if (value === undefined || value === null) continue;
    checkName(header);
    if (header.toLowerCase() === 'actionid' || header.toLowerCase() === 'action') {
      throw new AmiInvalidActionError(`"${header}" cannot be an extra header`);
    }
    if (Array.isArray(value)) {
      lines += arrayLines(header, value);
    } else {
      lines += headerLine(header, value);
    }
  }
  return lines;
}

// Asterisk splits a `Variable:` header like application arguments: `,` separates variables, quotes
// and backslashes are removed. Unescaped, `x,OTHER=1` sets a second variable and `a\b` loses its
// backslash. A backslash before each of these characters makes Asterisk keep it as written.
const VARIABLE_SPECIALS = /[\\",()]/g;

function escapeVariable(text: string): string {
  return text.replace(VARIABLE_SPECIALS, '\\$&');
}

// A null or undefined item is left out, like a null or undefined header, variable or extra header.
function arrayLines(header: string, items: readonly unknown[]): string {
  let lines = '';
  for (const item of items) if (item !== undefined && item !== null) lines += headerLine(header, item);
  return lines;
}

function headerLine(header: string, value: unknown): string {
  return `${header}: ${stringify(value, header)}\r\n`;
}

function stringify(value: unknown, what: string): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new AmiInvalidActionError(`${what} must be a string, number or boolean`);
  }
  const text = typeof value === 'string' ? value : String(value);
  checkValue(what, text);
  return text;
}

function checkName(header: string): void {
  if (
    header.length === 0 ||
    FORBIDDEN_IN_NAME.test(header) ||
    header.trim() !== header ||
    !header.isWellFormed()
  ) {
    throw new AmiInvalidActionError(`header name ${JSON.stringify(header)} is not allowed`);
  }
}

// The value itself is never echoed: it may be a secret.
function checkValue(what: string, value: string): void {
  if (FORBIDDEN_IN_VALUE.test(value)) {
    throw new AmiInvalidActionError(`${what} contains CR, LF or NUL, which would inject AMI headers`);
  }
  // A lone surrogate has no UTF-8 form: it would leave as U+FFFD, the character lost.
  if (!value.isWellFormed()) {
    throw new AmiInvalidActionError(`${what} contains a lone UTF-16 surrogate, which no encoding can carry`);
  }
}

// Node writes a character an 8-bit encoding lacks as the low byte of its code: another character.
const UNENCODABLE: Readonly<Record<AmiEncoding, RegExp | null>> = {
  utf8: null,
  latin1: /[\u0100-\uffff]/,
  ascii: /[\u0080-\uffff]/,
};

/** Refuses a frame that `encoding` cannot carry as written (the value is not echoed). */
export function checkEncodable(frame: string, action: string, encoding: AmiEncoding): void {
  if (UNENCODABLE[encoding]?.test(frame)) {
    throw new AmiInvalidActionError(`${action}: a name or value has characters ${encoding} cannot carry`);
  }
}
