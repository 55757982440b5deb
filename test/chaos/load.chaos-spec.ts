import type { AmiClient, AmiDisconnectInfo, AmiEvent } from '../../lib/client.js';
import { asterisk } from '../e2e/support/asterisk-target.js';
import { chaosClient, eventually, percentile, runTag, sleep } from './support/chaos-client.js';
import { HangupLedger } from './support/hangup-ledger.js';
import { originateLocalCall } from './support/local-calls.js';
import { printFigures, recordFigures } from './support/reliability-figures.js';

const CALLS = 500;
// Generous: no figure here is a speed target, only "nothing was lost and nothing timed out".
const ORIGINATE_TIMEOUT_MS = 60_000;
const SETTLE_WITHIN_MS = 120_000;

interface BurstResult {
  answered: number;
  unmatched: number;
  failures: string[];
  hangups: number;
  events: number;
  seconds: number;
  originateLatencies: number[];
  pingLatencies: number[];
}

/**
 * Originates CALLS Local calls at once, pings while they run, and waits until every call's two
 * Hangups have arrived.
 */
async function burst(client: AmiClient, ledger: HangupLedger): Promise<BurstResult> {
  const tag = runTag();
  let events = 0;
  const countEvent = () => {
    events++;
  };
  const stopCounting = client.onEvent('*', countEvent);
  const originateLatencies: number[] = [];
  const pingLatencies: number[] = [];
  const started = performance.now();
  const calls = Array.from({ length: CALLS }, (_, index) => {
    const sentAt = performance.now();
    const call = originateLocalCall(client, tag, index, ORIGINATE_TIMEOUT_MS);
    const result = call.result.then((event: AmiEvent) => {
      originateLatencies.push(performance.now() - sentAt);
      return event;
    });
    return { ...call, result };
  });
  const uniqueids = calls.flatMap((call) => call.uniqueids);
  let pinging = true;
  const pinger = (async () => {
    while (pinging) {
      const sentAt = performance.now();
      await client.send({ Action: 'Ping' });
      pingLatencies.push(performance.now() - sentAt);
      await sleep(20);
    }
  })();
  const settled = await Promise.allSettled(calls.map((call) => call.result));
  await eventually(() => uniqueids.every((uniqueid) => ledger.has(uniqueid)), SETTLE_WITHIN_MS);
  const seconds = (performance.now() - started) / 1000;
  pinging = false;
  await pinger;
  stopCounting();

  const failures: string[] = [];
  let answered = 0;
  let unmatched = 0;
  settled.forEach((outcome, index) => {
    if (outcome.status === 'rejected') {
      failures.push(`${(outcome.reason as Error).name}: ${(outcome.reason as Error).message}`);
      return;
    }
    answered++;
    if (outcome.value.Uniqueid !== calls[index].uniqueids[0]) unmatched++;
  });
  return {
    answered,
    unmatched,
    failures,
    hangups: uniqueids.filter((uniqueid) => ledger.has(uniqueid)).length,
    events,
    seconds,
    originateLatencies,
    pingLatencies,
  };
}

function figuresOf(result: BurstResult) {
  return {
    calls: CALLS,
    answered: result.answered,
    timedOut: result.failures.filter((failure) => failure.startsWith('AmiTimeoutError')).length,
    hangups: result.hangups,
    events: result.events,
    seconds: Number(result.seconds.toFixed(2)),
    callsPerSecond: Math.round(CALLS / result.seconds),
    eventsPerSecond: Math.round(result.events / result.seconds),
    originateP50Ms: Math.round(percentile(result.originateLatencies, 50)),
    originateP99Ms: Math.round(percentile(result.originateLatencies, 99)),
    pingsUnderLoad: result.pingLatencies.length,
    pingP99Ms: Math.round(percentile(result.pingLatencies, 99)),
  };
}

const itWithRig = asterisk.managed ? it : it.skip;

describe(`chaos: ${CALLS} concurrent originated calls against the real Asterisk`, () => {
  let client: AmiClient;
  let ledger: HangupLedger;
  const disconnects: AmiDisconnectInfo[] = [];

  beforeEach(async () => {
    disconnects.length = 0;
    client = chaosClient(asterisk.port);
    client.on('disconnect', (info) => disconnects.push(info));
    ledger = new HangupLedger(client);
    await client.connect();
  });

  afterEach(async () => {
    ledger.dispose();
    await client.disconnect();
  });

  itWithRig(
    'matches every OriginateResponse to its action and delivers every Hangup once',
    async () => {
      const result = await burst(client, ledger);
      const figures = figuresOf(result);
      printFigures(
        `Chaos: load, ${CALLS} concurrent Originate (npm run test:chaos -- test/chaos/load)`,
        figures,
      );
      recordFigures('chaos:load', figures);

      expect(result.failures).toEqual([]);
      expect(result.answered).toBe(CALLS);
      expect(result.unmatched).toBe(0);
      expect(result.hangups).toBe(2 * CALLS);
      expect(ledger.anomalies()).toEqual({ duplicates: [], missed: [] });
      expect(disconnects).toEqual([]);
      expect(client.pendingActionCount).toBe(0);
    },
    300_000,
  );

  itWithRig(
    'keeps reading while an async listener takes 200 ms per event: Asterisk never drops it',
    async () => {
      let received = 0;
      let handled = 0;
      const slow = client.onEvent('*', async () => {
        received++;
        await sleep(200);
        handled++;
      });
      try {
        const result = await burst(client, ledger);
        await eventually(() => handled === received, 30_000);
        const figures = { ...figuresOf(result), slowListenerRuns: handled, slowListenerDelayMs: 200 };
        printFigures('Chaos: load with a 200 ms async listener on every event', figures);
        recordFigures('chaos:slow-listener', figures);

        expect(disconnects).toEqual([]);
        expect(client.state).toBe('connected');
        expect(result.failures).toEqual([]);
        expect(result.hangups).toBe(2 * CALLS);
        expect(received).toBeGreaterThanOrEqual(result.events);
        expect(handled).toBe(received);
        expect(ledger.anomalies()).toEqual({ duplicates: [], missed: [] });
      } finally {
        slow();
      }
    },
    300_000,
  );
});
