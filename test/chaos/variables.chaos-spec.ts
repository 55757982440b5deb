import fc from 'fast-check';
import type { AmiClient } from '../../lib/client.js';
import { asterisk } from '../e2e/support/asterisk-target.js';
import { FuzzTally } from '../unit/fuzz/support/fuzz-settings.js';
import { lineText } from '../unit/fuzz/support/text-arbitraries.js';
import { chaosClient } from './support/chaos-client.js';

/**
 * The serializer's round trip, with Asterisk itself as the reader: channel variables set by
 * Originate (commas, quotes, backslashes, parentheses, leading blanks, UTF-8) read back by Getvar.
 * Also what grounds the `Variable:` model of test/unit/fuzz/support/asterisk-action-reader.ts.
 */
const tally = new FuzzTally('variables through Asterisk', 'npm run test:chaos -- test/chaos/variables');
const itWithRig = asterisk.managed ? it : it.skip;

const variables = fc.uniqueArray(
  fc.tuple(fc.stringMatching(/^ZZ[A-Z0-9_]{1,10}$/), lineText(40, { nul: false })),
  {
    minLength: 1,
    maxLength: 6,
    selector: ([name]) => name,
  },
);

describe('chaos: Originate variables reach Asterisk exactly as given', () => {
  let client: AmiClient;

  beforeAll(async () => {
    client = chaosClient(asterisk.port);
    await client.connect();
  });

  afterAll(async () => {
    await client.disconnect();
    tally.report();
  });

  itWithRig(
    'reads back every variable value byte for byte',
    async () => {
      await tally.check(
        'Originate variables read back by Getvar',
        fc.asyncProperty(variables, async (pairs) => {
          const answered = await client.originate({
            Channel: 'Local/answer@test',
            Application: 'Wait',
            Data: '10',
            variables: Object.fromEntries(pairs),
          });
          const channel = String(answered.Channel);
          try {
            for (const [name, value] of pairs) {
              const read = await client.send({ Action: 'Getvar', Channel: channel, Variable: name });
              expect({ name, value: read.Value ?? '' }).toEqual({ name, value });
            }
          } finally {
            await client.send({ Action: 'Hangup', Channel: channel }).catch(() => undefined);
          }
        }),
        0.5,
      );
    },
    120_000,
  );
});
