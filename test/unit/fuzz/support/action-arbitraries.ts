import fc from 'fast-check';
import type { AmiAction } from '../../../../lib/protocol/action-serializer.js';
import { lineText } from './text-arbitraries.js';

type Scalar = string | number | boolean;
type HeaderValue = Scalar | Scalar[] | null | undefined;

/** A legal action, with what a server must read back from it. */
export interface LegalAction {
  action: AmiAction;
  /** Every header line but `Variable:`, in order. */
  headers: [string, string][];
  variables: [string, string][];
}

const RESERVED = new Set(['action', 'actionid', 'variables', 'extraheaders', 'variable']);

const utf8Text = (maxLength: number) => lineText(maxLength, { nul: false });

// Asterisk skips characters below 33 right after a header's colon: a value starting with one cannot
// reach it intact (reported, not refused by the serializer), so legal values here start above 32.
const headerText = utf8Text(40).filter((text) => text.length === 0 || text.charCodeAt(0) >= 33);

const headerName = fc.oneof(
  fc.constantFrom(
    'Channel',
    'Context',
    'Exten',
    'Priority',
    'CallerID',
    '__proto__',
    'constructor',
    'toString',
  ),
  utf8Text(20).filter(
    (name) =>
      name.length > 0 &&
      name.trim() === name &&
      !name.includes(':') &&
      name.charCodeAt(0) >= 33 &&
      !RESERVED.has(name.toLowerCase()),
  ),
);

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 4, arbitrary: headerText },
  fc.integer(),
  fc.double(),
  fc.boolean(),
);

const headerValue: fc.Arbitrary<HeaderValue> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  fc.array(scalar, { maxLength: 3 }),
  fc.constantFrom(null, undefined),
);

const variableName = utf8Text(20).filter(
  (name) => name.length > 0 && !/[=:]/.test(name) && name.charCodeAt(0) >= 33,
);

// Variable values keep leading blanks (Asterisk splits them as arguments, it does not skip blanks).
const variableValue: fc.Arbitrary<Scalar | null | undefined> = fc.oneof(
  { weight: 6, arbitrary: utf8Text(40) },
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(null, undefined),
);

const headerEntries = fc.uniqueArray(fc.tuple(headerName, headerValue), {
  maxLength: 6,
  selector: ([name]) => name,
});

export const actionName = headerText.filter((name) => name.length > 0);

export const actionIdArbitrary = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9._-]{0,12}$/), fc.nat())
  .map(([prefix, counter]) => prefix + counter.toString(36));

/** A record built property by property, so names such as `__proto__` become own keys. */
function recordOf<T>(entries: [string, T][]): Record<string, T> {
  const record: Record<string, T> = {};
  for (const [name, value] of entries)
    Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  return record;
}

function lines(name: string, value: HeaderValue): [string, string][] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => [name, String(item)]);
}

export const legalAction: fc.Arbitrary<LegalAction> = fc
  .record({
    name: actionName,
    headers: headerEntries,
    variables: fc.option(
      fc.uniqueArray(fc.tuple(variableName, variableValue), { maxLength: 5, selector: ([name]) => name }),
      { nil: undefined },
    ),
    extraHeaders: fc.option(headerEntries, { nil: undefined }),
    // Where `variables` and `extraHeaders` sit among the headers changes nothing but their order.
    variablesFirst: fc.boolean(),
  })
  .map(({ name, headers, variables, extraHeaders, variablesFirst }) => {
    const action: AmiAction = { Action: name };
    const special: [string, unknown][] = [];
    if (variables !== undefined) special.push(['variables', recordOf(variables)]);
    if (extraHeaders !== undefined) special.push(['extraHeaders', recordOf(extraHeaders)]);
    const ordered: [string, unknown][] = variablesFirst ? [...special, ...headers] : [...headers, ...special];
    for (const [header, value] of ordered)
      Object.defineProperty(action, header, { value, enumerable: true, writable: true, configurable: true });

    const expectedHeaders: [string, string][] = [];
    // Object.keys gives the serializer's own for...in order (integer-like names first).
    for (const key of Object.keys(action)) {
      if (key === 'Action' || key === 'variables') continue;
      if (key === 'extraHeaders') {
        for (const [header, value] of Object.entries(recordOf(extraHeaders ?? [])))
          expectedHeaders.push(...lines(header, value));
        continue;
      }
      expectedHeaders.push(...lines(key, action[key] as HeaderValue));
    }
    // Object.entries, like the serializer: integer-like names come first.
    const expectedVariables: [string, string][] = Object.entries(recordOf(variables ?? []))
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([variable, value]) => [variable, String(value)]);
    return { action, headers: expectedHeaders, variables: expectedVariables };
  });

/** Where a poisoned string is put in an action. */
export type PoisonSite =
  | 'Action'
  | 'header name'
  | 'header value'
  | 'array item'
  | 'variable name'
  | 'variable value'
  | 'extraHeaders name'
  | 'extraHeaders value'
  | 'extraHeaders array item';

export const POISON_SITES: readonly PoisonSite[] = [
  'Action',
  'header name',
  'header value',
  'array item',
  'variable name',
  'variable value',
  'extraHeaders name',
  'extraHeaders value',
  'extraHeaders array item',
];

/** A recognisable marker (`zz9` cannot occur in generated header names), a CR, LF or NUL, and more text. */
export const poison = fc
  .record({
    marker: fc.stringMatching(/^zz9[a-z0-9]{4,8}$/),
    control: fc.constantFrom('\r', '\n', '\0', '\r\n', '\r\n\r\n', '\n\n'),
    injected: fc.constantFrom('', 'Action: Originate', 'Action: Command\r\nCommand: core stop now', 'X: y'),
    before: fc.boolean(),
  })
  .map(({ marker, control, injected, before }) => ({
    marker,
    text: before ? `${control}${injected}${marker}` : `${marker}${control}${injected}`,
  }));

/** Copies the action with the poison at `site`. */
export function poisonAction(action: AmiAction, site: PoisonSite, text: string): AmiAction {
  const poisoned: AmiAction = { ...action };
  switch (site) {
    case 'Action':
      poisoned.Action = text;
      break;
    case 'header name':
      poisoned[`Safe${text}`] = 'value';
      break;
    case 'header value':
      poisoned.Poisoned = text;
      break;
    case 'array item':
      poisoned.Poisoned = ['first', text, 'last'];
      break;
    case 'variable name':
      poisoned.variables = { ...(action.variables ?? {}), [`V${text}`]: '1' };
      break;
    case 'variable value':
      poisoned.variables = { ...(action.variables ?? {}), POISONED: text };
      break;
    case 'extraHeaders name':
      poisoned.extraHeaders = { [`X${text}`]: 'value' };
      break;
    case 'extraHeaders value':
      poisoned.extraHeaders = { XPoisoned: text };
      break;
    case 'extraHeaders array item':
      poisoned.extraHeaders = { XPoisoned: ['first', text] };
      break;
  }
  return poisoned;
}

/** Sites whose text is a value: the error must not echo it (it may be a secret). */
export const isValueSite = (site: PoisonSite) => !site.endsWith('name');
