import type { FinishedCall } from '../../../sample/calls/finished-call.js';
import { eventually } from '../../unit/sample/support/sample-app.js';
import { type PlannedCall, planRound } from '../support/originate-rounds.js';
import { type HttpAnswer, SampleProcess } from './support/sample-process.js';

const ROUNDS = 6;
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

  beforeAll(async () => {
    samples = await Promise.all([SampleProcess.start(), SampleProcess.start()]);
  }, 60_000);
  afterAll(() => Promise.all(samples.map((sample) => sample.stop())), 30_000);

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
    expect(wrong).toEqual([]);
  }, 180_000);
});
