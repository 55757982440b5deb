import { AmiClient, type AmiEvent } from '../../../lib/client.js';
import type { FinishedCall } from '../../../sample/calls/finished-call.js';
import { eventually } from '../../unit/sample/support/sample-app.js';
import { waitFor } from '../nest/support/nest-fixtures.js';
import { credentials } from '../support/asterisk-target.js';
import { type PlannedCall, planRound } from '../support/originate-rounds.js';
import { type HttpAnswer, SampleProcess } from './support/sample-process.js';

const ROUNDS = 10;
const CALLS_PER_ROUND = 4;

interface CallAnswer {
  uniqueid?: string;
  channel?: string;
  response?: string;
  reason?: number | null;
}

interface Placed {
  sample: number;
  call: PlannedCall;
  answer: HttpAnswer<CallAnswer>;
}

/** Asterisk's originate reason for a failed destination: 5 busy, 0 no such extension. */
const FAILURE_REASONS = { busy: 5, missing: 0 } as const;

/** How a POST /calls answer differs from its own call's outcome; undefined when it is its own. */
function wrongAnswer({ call, answer }: Placed): string | undefined {
  const { status, body } = answer;
  const own =
    call.destination === 'answered'
      ? status === 201 &&
        body.response === 'Success' &&
        body.reason === 4 &&
        String(body.channel).startsWith(`${call.channel}-`)
      : status === 502 && body.reason === FAILURE_REASONS[call.destination];
  return own ? undefined : `${call.label} (${call.channel}): ${status} ${JSON.stringify(body)}`;
}

// Two processes of the sample app (same configuration, so the same actionIdPrefix 'sample-') on one
// Asterisk: POST /calls must answer with the outcome of the call that request placed.
describe('two sample app processes on one Asterisk, POST /calls concurrently', () => {
  let samples: SampleProcess[] = [];
  // A third session that hears every OriginateResponse: which ActionIDs each sample used.
  const observer = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  const originateResponses: AmiEvent[] = [];
  observer.onEvent('OriginateResponse', (event) => {
    originateResponses.push(event);
  });

  beforeAll(async () => {
    await observer.connect();
    samples = await Promise.all([SampleProcess.start(), SampleProcess.start()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(samples.map((sample) => sample.stop()));
    await observer.disconnect();
  }, 30_000);

  it(`answers each request with its own call's outcome, over ${ROUNDS} rounds`, async () => {
    const placed: Placed[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const requests = samples.flatMap((sample, index) =>
        planRound(index, round, CALLS_PER_ROUND).map(async (call) => ({
          sample: index,
          call,
          answer: await sample.post<CallAnswer>('/calls', {
            channel: call.channel,
            context: 'test',
            exten: 'answer',
            callerId: call.callerId,
          }),
        })),
      );
      placed.push(...(await Promise.all(requests)));
    }
    const wrong = placed.map(wrongAnswer).filter((description) => description !== undefined);

    // An answered call's uniqueid must be the call this request placed: the one with its caller number.
    const answered = placed.filter(
      ({ call, answer }) => call.destination === 'answered' && answer.status === 201,
    );
    const logs = await eventually(async () => {
      const current = await Promise.all(
        samples.map(async (sample) => (await sample.get<FinishedCall[]>('/calls')).body),
      );
      const complete = answered.every(({ sample, answer }) =>
        current[sample]?.some((entry) => entry.id === answer.body.uniqueid),
      );
      return complete ? current : undefined;
    }, 'every answered call in the call log of the sample that placed it');
    for (const { sample, call, answer } of answered) {
      const entry = logs[sample]?.find(({ id }) => id === answer.body.uniqueid);
      if (entry?.caller !== call.callerIdNum)
        wrong.push(
          `${call.label}: 201 for uniqueid ${answer.body.uniqueid}, the call of caller ${entry?.caller}`,
        );
    }
    // Both run one configuration, yet no ActionID of one sample is ever one of the other's.
    const numbers = new Set(placed.map(({ call }) => call.callerIdNum));
    await waitFor(
      () =>
        originateResponses.filter(({ CallerIDNum }) => numbers.has(String(CallerIDNum))).length ===
        numbers.size,
      'every OriginateResponse at the observer',
    );
    const actionIdsOf = (party: number) =>
      new Set(
        originateResponses
          .filter(({ CallerIDNum }) =>
            placed.some(({ sample, call }) => sample === party && call.callerIdNum === CallerIDNum),
          )
          .map(({ ActionID }) => String(ActionID)),
      );
    const [first, second] = [actionIdsOf(0), actionIdsOf(1)];
    expect({ wrong, shared: [...first].filter((id) => second.has(id)) }).toEqual({ wrong: [], shared: [] });
    expect(first.size + second.size).toBe(placed.length);
  }, 180_000);
});
