/** Header names whose values never reach a log line or an error message, whatever the case. */
export const ALWAYS_SENSITIVE_HEADERS = ['secret', 'key'] as const;

export const REDACTED = '<redacted>';

export function sensitiveHeaderSet(extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...ALWAYS_SENSITIVE_HEADERS, ...extra.map((name) => name.toLowerCase())]);
}

export const DEFAULT_SENSITIVE_HEADERS: ReadonlySet<string> = sensitiveHeaderSet();

/**
 * A copy of an action (as the user wrote it) or of a received message, fit for a log line or an error.
 * Only own enumerable properties are read. Replaced by `<redacted>`:
 * - every value of a header named in `sensitive` (any case), at the top level and in `extraHeaders`;
 * - a `variables` entry whose name is in `sensitive`;
 * - the value of a `name=value` assignment under a `Variable` header or a `...ChanVariable` header (the
 *   channel variables events carry) whose name is in `sensitive`;
 * - `Value` when `Variable` names a sensitive variable (Setvar sent; Getvar's answer and VarSet echo it).
 * Variable names are matched like header names, without the `_`/`__` inheritance prefix. Free text is not
 * parsed: Command output, `Message`, or a UserEvent value under a header of another name go through as is.
 */
export function redactHeaders(
  headers: Readonly<Record<string, unknown>>,
  sensitive: ReadonlySet<string>,
): Record<string, unknown> {
  // No prototype: a received header may be named `__proto__`.
  const copy: Record<string, unknown> = Object.create(null);
  const names = Object.keys(headers);
  const hidesValue = names.some(
    (name) => name.toLowerCase() === 'variable' && namesSensitiveVariable(headers[name], sensitive),
  );
  for (const name of names) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (isRecord(value) && name === 'variables') {
      copy[name] = redactVariables(value, sensitive);
    } else if (isRecord(value) && name === 'extraHeaders') {
      copy[name] = redactHeaders(value, sensitive);
    } else if (sensitive.has(lower) || (hidesValue && lower === 'value')) {
      copy[name] = REDACTED;
    } else if (lower === 'variable' || lower.endsWith('chanvariable')) {
      copy[name] = mapValues(value, (text) => redactAssignments(text, sensitive));
    } else {
      copy[name] = value;
    }
  }
  return copy;
}

function redactVariables(
  variables: Readonly<Record<string, unknown>>,
  sensitive: ReadonlySet<string>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(variables))
    copy[name] = isSensitiveVariable(name, sensitive) ? REDACTED : variables[name];
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSensitiveVariable(name: string, sensitive: ReadonlySet<string>): boolean {
  return sensitive.has(
    name
      .trim()
      .replace(/^_{1,2}/, '')
      .toLowerCase(),
  );
}

// `Variable: SECRET` (no `=`): the variable a Setvar, Getvar or VarSet is about.
function namesSensitiveVariable(value: unknown, sensitive: ReadonlySet<string>): boolean {
  const names = Array.isArray(value) ? value : [value];
  return names.some((name) => typeof name === 'string' && isSensitiveVariable(name, sensitive));
}

function mapValues(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? redact(item) : item));
  return value;
}

/**
 * `A=1,SECRET=x` -> `A=1,SECRET=<redacted>`. Assignments are split at unescaped commas, as Asterisk splits
 * them; a piece without `=` after a hidden value is taken as the rest of that value (`SECRET=a,b`) and
 * hidden with it.
 */
function redactAssignments(text: string, sensitive: ReadonlySet<string>): string {
  if (!text.includes('=')) return text;
  const kept: string[] = [];
  let hiding = false;
  for (const piece of splitAtUnescapedCommas(text)) {
    const equals = piece.indexOf('=');
    if (equals < 0) {
      if (!hiding) kept.push(piece);
      continue;
    }
    const name = piece.slice(0, equals).replace(/\\(.)/g, '$1');
    hiding = isSensitiveVariable(name, sensitive);
    kept.push(hiding ? `${piece.slice(0, equals)}=${REDACTED}` : piece);
  }
  return kept.join(',');
}

function splitAtUnescapedCommas(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') index += 1;
    else if (char === ',') {
      pieces.push(text.slice(start, index));
      start = index + 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}
