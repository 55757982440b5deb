import fc from 'fast-check';
import { AmiInvalidActionError } from '../../../lib/errors/ami-errors.js';
import { serializeAction } from '../../../lib/protocol/action-serializer.js';
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
});
