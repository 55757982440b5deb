import fc from 'fast-check';
import { REDACTED, redactHeaders, sensitiveHeaderSet } from '../../../lib/client/redaction.js';
import { AmiInvalidActionError } from '../../../lib/errors/ami-errors.js';
import { type AmiAction, serializeAction } from '../../../lib/protocol/action-serializer.js';
import {
  actionIdArbitrary,
  isValueSite,
  legalAction,
  POISON_SITES,
  poison,
  poisonAction,
} from './support/action-arbitraries.js';
import { readActionAsAsterisk } from './support/asterisk-action-reader.js';
import { FuzzTally } from './support/fuzz-settings.js';

const tally = new FuzzTally('action serializer');
afterAll(() => tally.report());

describe('action serializer, property-based', () => {
  it('is read back by an Asterisk-like reader exactly as given, for every legal action', async () => {
    await tally.check(
      'serialize then parse is the identity',
      fc.property(legalAction, actionIdArbitrary, ({ action, headers, variables }, actionId) => {
        const read = readActionAsAsterisk(serializeAction(action, actionId));
        expect(read.headers.slice(0, 2)).toEqual([
          ['Action', action.Action],
          ['ActionID', actionId],
        ]);
        expect(read.headers.slice(2).filter(([name]) => name !== 'Variable')).toEqual(headers);
        expect(read.variables).toEqual(variables);
      }),
      2,
    );
  });

  it('refuses CR, LF or NUL wherever a user value reaches the wire, without echoing the value', async () => {
    await tally.check(
      'CR/LF/NUL refused in every field',
      fc.property(
        legalAction,
        fc.constantFrom(...POISON_SITES),
        poison,
        actionIdArbitrary,
        ({ action }, site, { marker, text }, actionId) => {
          const poisoned = poisonAction(action, site, text);
          let refused: unknown;
          try {
            serializeAction(poisoned, actionId);
          } catch (error) {
            refused = error;
          }
          expect(refused).toBeInstanceOf(AmiInvalidActionError);
          if (isValueSite(site)) expect((refused as Error).message).not.toContain(marker);
        },
      ),
      2,
    );
  });

  it('refuses CR, LF or NUL in the ActionID (built from the client actionIdPrefix)', async () => {
    await tally.check(
      'CR/LF/NUL refused in the ActionID',
      fc.property(legalAction, poison, ({ action }, { text }) => {
        expect(() => serializeAction(action, text)).toThrow(AmiInvalidActionError);
      }),
    );
  });

  it('writes the same frame whatever keys someone put on Object.prototype', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    const pollution = fc.uniqueArray(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('Channel', 'Secret', 'variables', 'extraHeaders', 'Action', 'ActionID', 'A'),
          fc.string({ minLength: 1, maxLength: 8 }),
        ),
        fc.oneof(fc.string(), fc.constant({ INJECTED: 'x' }), fc.constant(['a', 'b'])),
      ),
      { maxLength: 4, selector: ([name]) => name },
    );
    await tally.check(
      'a polluted Object.prototype adds nothing',
      fc.property(legalAction, pollution, actionIdArbitrary, ({ action }, keys, actionId) => {
        const clean = serializeAction(action, actionId);
        const added = keys.map(([name]) => name).filter((name) => !(name in proto));
        try {
          for (const [name, value] of keys) if (added.includes(name)) proto[name] = value;
          expect(serializeAction(action, actionId)).toBe(clean);
        } finally {
          for (const name of added) delete proto[name];
        }
      }),
    );
  });

  it('leaves out null and undefined array items, as it leaves out null and undefined headers', async () => {
    await tally.check(
      'null/undefined items left out like headers',
      fc.property(legalAction, fc.nat(), actionIdArbitrary, ({ action }, seed, actionId) => {
        const holey = withHoles(action, seed);
        expect(serializeAction(holey, actionId)).toBe(serializeAction(action, actionId));
      }),
    );
  });

  it('never logs the value of a secret-named header or variable, wherever it is put', async () => {
    const sensitive = sensitiveHeaderSet(['X-Token']);
    const secretName = fc.constantFrom('Secret', 'KEY', 'key', '__Secret', 'x-token', 'X-TOKEN');
    const site = fc.constantFrom('header', 'array', 'variable', 'extraHeaders', 'Variable header', 'Setvar');
    await tally.check(
      'secret-named values redacted in the trace',
      fc.property(
        legalAction,
        secretName,
        site,
        fc.stringMatching(/^zz9[a-z0-9]{6,10}$/),
        ({ action }, name, where, secret) => {
          const carrying: AmiAction = { ...action };
          const plain = name.replace(/^_+/, '');
          if (where === 'header') carrying[plain] = secret;
          if (where === 'array') carrying[plain] = ['first', secret];
          if (where === 'variable') carrying.variables = { ...(action.variables ?? {}), [name]: secret };
          if (where === 'extraHeaders')
            carrying.extraHeaders = { ...(action.extraHeaders ?? {}), [plain]: secret };
          if (where === 'Variable header') carrying.Variable = `A=1,${name}=${secret}`;
          if (where === 'Setvar') Object.assign(carrying, { Variable: name, Value: secret });
          const line = JSON.stringify(redactHeaders(carrying, sensitive));
          expect(line).toContain(REDACTED);
          expect(line).not.toContain(secret);
        },
      ),
    );
  });
});

/** A copy of `action` with null and undefined items spread through its arrays (top level and extraHeaders). */
function withHoles(action: AmiAction, seed: number): AmiAction {
  let next = seed;
  const holes = (items: readonly unknown[]) => {
    const copy: unknown[] = [...items];
    const count = 1 + (next % 3);
    for (let index = 0; index < count; index += 1) {
      copy.splice(next % (copy.length + 1), 0, next % 2 === 0 ? null : undefined);
      next = Math.floor(next / 3) + 7;
    }
    return copy;
  };
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(action)) {
    const value = action[key];
    let holey: unknown = value;
    if (Array.isArray(value)) holey = holes(value);
    else if (key === 'extraHeaders' && value !== null && typeof value === 'object') {
      const extra: Record<string, unknown> = {};
      for (const name of Object.keys(value))
        defineOwn(
          extra,
          name,
          Array.isArray((value as never)[name]) ? holes((value as never)[name]) : (value as never)[name],
        );
      holey = extra;
    }
    defineOwn(copy, key, holey);
  }
  return copy as AmiAction;
}

// Names such as `__proto__` become own keys, as the generator makes them.
function defineOwn(record: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
}
