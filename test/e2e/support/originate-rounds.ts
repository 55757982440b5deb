import { AmiActionError, type AmiMessage } from '../../../lib/client.js';

/**
 * Rounds of concurrent originates by several parties (clients, processes, Nest replicas) on one
 * Asterisk, each call told apart by its own CallerID, which Asterisk copies into its OriginateResponse.
 */
export type Destination = 'answered' | 'busy' | 'missing';

const DESTINATIONS: readonly Destination[] = ['answered', 'busy', 'missing'];

/** test/asterisk/etc/extensions.conf: 100 answers, busy is busy, nonexistent is no extension at all. */
export const DIAL_STRINGS: Readonly<Record<Destination, string>> = {
  answered: 'Local/100@test',
  busy: 'Local/busy@test',
  missing: 'Local/nonexistent@test',
};

/** The OriginateResponse `Reason` Asterisk 22 gives each: 4 answered, 5 busy, 0 failed. */
const REASONS: Readonly<Record<Destination, string>> = { answered: '4', busy: '5', missing: '0' };

export interface PlannedCall {
  /** `party0 round3 call2`: who placed it, when. */
  label: string;
  destination: Destination;
  channel: string;
  /** Unique over the whole test: the proof of which call an answer is about. */
  callerIdNum: string;
  callerId: string;
}

/**
 * The calls one party places in one round. Parties get different destinations at the same position,
 * so two parties whose ActionIDs collide would swap an answered call for a failed one.
 */
export function planRound(party: number, round: number, calls: number): PlannedCall[] {
  return Array.from({ length: calls }, (_, index) => {
    const destination = DESTINATIONS[(index + round + party) % DESTINATIONS.length] as Destination;
    const label = `party${party} round${round} call${index}`;
    const callerIdNum = `7${party}${String(round).padStart(2, '0')}${String(index).padStart(2, '0')}`;
    return {
      label,
      destination,
      channel: DIAL_STRINGS[destination],
      callerIdNum,
      callerId: `"${label}" <${callerIdNum}>`,
    };
  });
}

/** What one originate settled with: the OriginateResponse it resolved with, or the one its error carries. */
export interface Settlement {
  call: PlannedCall;
  resolved: boolean;
  response: AmiMessage | undefined;
  error?: string;
}

/** Runs one originate to its end, whichever way it ends. */
export async function settle(call: PlannedCall, originate: () => Promise<AmiMessage>): Promise<Settlement> {
  try {
    return { call, resolved: true, response: await originate() };
  } catch (error) {
    const response = error instanceof AmiActionError ? error.response : undefined;
    return { call, resolved: false, response, error: String(error) };
  }
}

/**
 * Every settlement that is not its own call's outcome, described (empty when each originate settled
 * with its own call): the OriginateResponse must carry its CallerID and destination, and an answered
 * call must resolve, a failed one reject, with the reason its destination gives.
 */
export function wrongSettlements(settlements: readonly Settlement[]): string[] {
  return settlements.filter((settlement) => !isOwn(settlement)).map(describe);
}

function isOwn({ call, resolved, response }: Settlement): boolean {
  if (response?.Event !== 'OriginateResponse' || response.CallerIDNum !== call.callerIdNum) return false;
  const answered = call.destination === 'answered';
  const channel = String(response.Channel);
  return (
    resolved === answered &&
    response.Response === (answered ? 'Success' : 'Failure') &&
    response.Reason === REASONS[call.destination] &&
    (answered ? channel.startsWith(`${call.channel}-`) : channel === call.channel)
  );
}

function describe({ call, resolved, response, error }: Settlement): string {
  const got =
    response === undefined
      ? String(error)
      : `${String(response.Response)} on ${String(response.Channel)}, reason ${String(response.Reason)}, ` +
        `caller ${String(response.CallerIDNum)}, ActionID ${String(response.ActionID)}`;
  return `${call.label} (${call.channel}, caller ${call.callerIdNum}) ${resolved ? 'resolved' : 'rejected'}: ${got}`;
}

/** One OriginateResponse as a party saw it, with whether it was marked as answering that party's action. */
export interface SeenResponse {
  event: AmiMessage;
  fromAction: boolean;
}

/**
 * The OriginateResponses of the planned calls that a party marked wrongly: its own calls' must be marked
 * as answering its action, the other parties' must not. Empty when every mark is right.
 */
export function wrongMarks(seen: readonly SeenResponse[], own: readonly PlannedCall[]): string[] {
  const mine = new Set(own.map((call) => call.callerIdNum));
  return seen
    .filter(({ event, fromAction }) => fromAction !== mine.has(String(event.CallerIDNum)))
    .map(
      ({ event, fromAction }) =>
        `caller ${String(event.CallerIDNum)} (${mine.has(String(event.CallerIDNum)) ? 'own' : "another party's"}) ` +
        `ActionID ${String(event.ActionID)} marked fromAction ${fromAction}`,
    );
}

/** The responses among `seen` that are about one of `calls` (another test's calls are left out). */
export function responsesTo(seen: readonly SeenResponse[], calls: readonly PlannedCall[]): SeenResponse[] {
  const numbers = new Set(calls.map((call) => call.callerIdNum));
  return seen.filter(({ event }) => numbers.has(String(event.CallerIDNum)));
}

/**
 * Every mix-up of a run: settlements that are not their own call's, and, for each party, the marks it got
 * wrong among the OriginateResponses it saw. `{ settledWrong: [], markedWrong: [[], [], ...] }` when right.
 */
export function mixUps(
  settlements: readonly Settlement[],
  planned: readonly (readonly PlannedCall[])[],
  seen: readonly (readonly SeenResponse[])[],
): { settledWrong: string[]; markedWrong: string[][] } {
  const all = planned.flat();
  return {
    settledWrong: wrongSettlements(settlements),
    markedWrong: seen.map((responses, party) =>
      wrongMarks(responsesTo(responses, all), planned[party] ?? []),
    ),
  };
}

/**
 * Runs `rounds` rounds; in each, every party places `calls` originates at once, all parties together.
 * Returns every settlement, and the calls each party placed.
 */
export async function runRounds(
  parties: ReadonlyArray<(call: PlannedCall) => Promise<AmiMessage>>,
  rounds: number,
  calls: number,
): Promise<{ settlements: Settlement[][]; planned: PlannedCall[][] }> {
  const settlements: Settlement[][] = [];
  const planned: PlannedCall[][] = parties.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    const placed = parties.map((originate, party) => {
      const plan = planRound(party, round, calls);
      planned[party]?.push(...plan);
      return plan.map((call) => settle(call, () => originate(call)));
    });
    settlements.push(await Promise.all(placed.flat()));
  }
  return { settlements, planned };
}

/** Originate parameters for a planned call: the far end runs a one-second Wait. */
export const originateParams = (call: PlannedCall) => ({
  Channel: call.channel,
  Application: 'Wait',
  Data: '1',
  CallerID: call.callerId,
});
