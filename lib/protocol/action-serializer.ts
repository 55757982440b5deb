import { AmiInvalidActionError } from '../errors/ami-errors.js';

export type AmiActionHeaderValue = string | number | boolean | readonly (string | number | boolean)[];

/**
 * An action as the user writes it: `Action`, any headers (arrays repeat the header), and optional
 * channel `variables`, written as `Variable: name=value` headers.
 */
export interface AmiAction {
  Action: string;
  variables?: Readonly<Record<string, string | number | boolean>>;
  [header: string]:
    | AmiActionHeaderValue
    | Readonly<Record<string, string | number | boolean>>
    | undefined
    | null;
}

const FORBIDDEN_IN_VALUE = /[\r\n\0]/;
const FORBIDDEN_IN_NAME = /[\r\n\0:]/;
const VARIABLES = 'variables';
const EXTRA_HEADERS = 'extraHeaders';

/**
 * Writes an action as one AMI frame, its ActionID first after Action. Refuses, before anything is
 * written, every name or value that could inject a header or end the frame early.
 */
export function serializeAction(action: AmiAction, actionId: string): string {
  const name = action.Action;
  if (typeof name !== 'string' || name.length === 0) {
    throw new AmiInvalidActionError('an action needs a non-empty "Action" header');
  }
  checkValue('Action', name);
  checkValue('ActionID', actionId);
  let frame = `Action: ${name}\r\nActionID: ${actionId}\r\n`;
  for (const header in action) {
    if (header === 'Action') continue;
    const value = action[header];
    if (value === undefined || value === null) continue;
    if (header === VARIABLES) {
      frame += serializeVariables(value);
      continue;
    }
    checkName(header);
    if (header.toLowerCase() === 'actionid') {
      throw new AmiInvalidActionError(
        'ActionID is assigned by the client; use actionIdPrefix to tag actions',
      );
    }
    if (Array.isArray(value)) {
      for (const item of value) frame += headerLine(header, item);
    } else {
      frame += headerLine(header, value as string | number | boolean);
    }
  }
  return `${frame}\r\n`;
}

function serializeVariables(variables: unknown): string {
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw new AmiInvalidActionError('"variables" must be an object of name -> value');
  }
  let lines = '';
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined || value === null) continue;
    if (name.length === 0 || name.includes('=') || FORBIDDEN_IN_NAME.test(name)) {
      throw new AmiInvalidActionError(`variable name ${JSON.stringify(name)} is not allowed`);
    }
    lines += `Variable: ${name}=${stringify(value, `variable "${name}"`)}\r\n`;
  }
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
  if (header.length === 0 || FORBIDDEN_IN_NAME.test(header) || header.trim() !== header) {
    throw new AmiInvalidActionError(`header name ${JSON.stringify(header)} is not allowed`);
  }
}

// The value itself is never echoed: it may be a secret.
function checkValue(what: string, value: string): void {
  if (FORBIDDEN_IN_VALUE.test(value)) {
    throw new AmiInvalidActionError(`${what} contains CR, LF or NUL, which would inject AMI headers`);
  }
}
