import { type AmiCallOutcome, AmiCallTracker, AmiClient, liveSourceOf } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { localCall } from './support/tracked.js';

const PLAN: { exten: string; outcome: AmiCallOutcome; cause: string }[] = [
  { exten: 'talk', outcome: 'answered', cause: '16' },
  { exten: 'busy', outcome: 'busy', cause: '17' },
  { exten: 'congestion', outcome: 'failed', cause: '34' },
  { exten: 'reject', outcome: 'failed', cause: '21' },
];
const ROUNDS = 3;

// Both sessions hear every call's events (and every OriginateResponse): each tracker must report its own calls only.
describe('two clients on one Asterisk, each tracking its own concurrent originates', () => {
  const options = { ...credentials(), reconnect: false, keepAlive: false };
  const clients = [new AmiClient(options), new AmiClient(options)];
  const trackers = clients.map((client) => new AmiCallTracker(liveSourceOf(client), { trackAll: false }));

  beforeAll(async () => {
    await Promise.all(clients.map((client) => client.connect()));
    for (const tracker of trackers) tracker.start();
  });
  afterAll(async () => {
    for (const tracker of trackers) tracker.stop();
    await Promise.all(clients.map((client) => client.disconnect()));
  });

  it(`reports each call's own outcome, ${ROUNDS} rounds of ${PLAN.length * 2} calls at once`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Client 0 places the plan in order, client 1 the same plan reversed, at the same time.
      const placed = trackers.flatMap((tracker, party) =>
        (party === 0 ? PLAN : [...PLAN].reverse()).map((planned) => ({
          planned,
          party,
          call: tracker.originate(localCall(planned.exten)),
        })),
      );
      const summaries = await Promise.all(placed.map(({ call }) => call.finished));
      for (const [index, { planned, call }] of placed.entries()) {
        expect(summaries[index]).toMatchObject({
          uniqueid: call.uniqueid,
          to: `${planned.exten}@calls`,
          outcome: planned.outcome,
          cause: planned.cause,
        });
      }
      expect(new Set(placed.map(({ call }) => call.uniqueid)).size).toBe(placed.length);
    }
    for (const tracker of trackers) expect(tracker.size).toBe(0);
  }, 60_000);
});
