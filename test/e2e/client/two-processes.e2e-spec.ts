import { asterisk } from '../support/asterisk-target.js';
import {
  mixUps,
  originateParams,
  type PlannedCall,
  planRound,
  type Settlement,
} from '../support/originate-rounds.js';
import { PartyProcess } from './support/party-process.js';

const ROUNDS = 10;
const CALLS_PER_ROUND = 4;

// Two processes of one app with one configuration (no actionIdPrefix), as two replicas run: each
// process's client must still settle every originate with its own call.
describe('two processes with identical options, each with an AmiClient of the built package', () => {
  const options = {
    host: asterisk.host,
    port: asterisk.port,
    username: asterisk.username,
    secret: asterisk.secret,
  };
  let parties: PartyProcess[] = [];

  beforeAll(async () => {
    parties = await Promise.all([PartyProcess.start(options), PartyProcess.start(options)]);
  }, 30_000);
  afterAll(() => Promise.all(parties.map((party) => party.dispose())));

  it(`settles every concurrent originate with its own call, over ${ROUNDS} rounds`, async () => {
    const settlements: Settlement[] = [];
    const planned: PlannedCall[][] = parties.map(() => []);
    for (let round = 0; round < ROUNDS; round += 1) {
      const plans = parties.map((_, party) => planRound(party, round, CALLS_PER_ROUND));
      const results = await Promise.all(
        parties.map((party, index) => party.round((plans[index] ?? []).map(originateParams))),
      );
      plans.forEach((plan, party) => {
        planned[party]?.push(...plan);
        plan.forEach((call, index) => {
          const result = results[party]?.[index] ?? { resolved: false, response: undefined, error: 'none' };
          settlements.push({ ...result, call });
        });
      });
    }

    const all = planned.flat();
    const seen = await Promise.all(parties.map((party) => party.finish(all.map((call) => call.callerIdNum))));
    expect(mixUps(settlements, planned, seen)).toEqual({ settledWrong: [], markedWrong: [[], []] });
  }, 120_000);
});
