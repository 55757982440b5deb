import { AmiClient } from '../../../lib/client.js';
import { waitFor } from '../nest/support/nest-fixtures.js';
import { credentials } from '../support/asterisk-target.js';
import {
  mixUps,
  originateParams,
  responsesTo,
  runRounds,
  type SeenResponse,
} from '../support/originate-rounds.js';

const ROUNDS = 10;
const CALLS_PER_ROUND = 4;

// Asterisk sends every OriginateResponse to every session allowed to read call events, with the
// ActionID of the action that asked for it: two clients alike must still each get their own.
describe.each([
  { options: 'no actionIdPrefix', actionIdPrefix: undefined },
  { options: 'the same actionIdPrefix', actionIdPrefix: 'replica-' },
])('two AmiClients with identical options ($options) in one process', ({ actionIdPrefix }) => {
  const options = { ...credentials(), reconnect: false, keepAlive: false, actionIdPrefix };
  const clients = [new AmiClient(options), new AmiClient(options)];
  const seen: SeenResponse[][] = clients.map(() => []);

  beforeAll(async () => {
    for (const [party, client] of clients.entries()) {
      client.onEvent('OriginateResponse', (event, context) => {
        seen[party]?.push({ event, fromAction: context.fromAction });
      });
    }
    await Promise.all(clients.map((client) => client.connect()));
  });
  afterAll(() => Promise.all(clients.map((client) => client.disconnect())));

  it(`settles every concurrent originate with its own call, over ${ROUNDS} rounds`, async () => {
    const { settlements, planned } = await runRounds(
      clients.map((client) => (call) => client.originate(originateParams(call), { timeout: 20_000 })),
      ROUNDS,
      CALLS_PER_ROUND,
    );
    // Each client sees the OriginateResponses of both: only its own are marked as answering its actions.
    const all = planned.flat();
    await waitFor(
      () => seen.every((responses) => responsesTo(responses, all).length === all.length),
      'every OriginateResponse at both clients',
    );
    expect(mixUps(settlements.flat(), planned, seen)).toEqual({ settledWrong: [], markedWrong: [[], []] });
  }, 120_000);
});
