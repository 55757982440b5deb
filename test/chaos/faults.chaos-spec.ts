import type { AmiClient, AmiDisconnectInfo } from '../../lib/client.js';
import { asterisk, rig } from '../e2e/support/asterisk-target.js';
import { asteriskSessions } from './support/asterisk-sessions.js';
import {
  CHAOS_ACTION_TIMEOUT,
  CHAOS_KEEPALIVE,
  CHAOS_RECONNECT,
  chaosClient,
  eventually,
  nextLogin,
  runTag,
  settleWithin,
  sleep,
} from './support/chaos-client.js';
import { FaultProxy } from './support/fault-proxy.js';
import { HangupLedger } from './support/hangup-ledger.js';
import { leaksAfterSettling, type ResourceSnapshot, snapshot } from './support/leak-probe.js';
import { printFigures, recordFigures } from './support/reliability-figures.js';
import { SteadyLoad } from './support/steady-load.js';

type FaultKind =
  | 'cut (FIN)'
  | 'cut (RST)'
  | 'half-open'
  | 'cut, then 2 logins cut'
  | 'Asterisk restart'
  | 'Asterisk down 3 s'
  | 'latency'
  | 'throttle';

/** The `disconnect` reasons each fault must produce, in order; latency and throttle only degrade. */
const EXPECTED_DISCONNECTS: Record<FaultKind, AmiDisconnectInfo['reason'][]> = {
  'cut (FIN)': ['closed'],
  'cut (RST)': ['error'],
  'half-open': ['keepalive'],
  // The session, then each attempt whose Login is cut (they read the banner, so they were announced).
  'cut, then 2 logins cut': ['closed', 'closed', 'closed'],
  // Expected when Asterisk's Shutdown event reached the client; when it did not, only the close did:
  // 'closed' (see FaultProxy.shutdownsForwarded).
  'Asterisk restart': ['shutdown'],
  'Asterisk down 3 s': ['shutdown'],
  latency: [],
  throttle: [],
};
const ROUNDS = 3;
const PLAN: FaultKind[] = Array.from({ length: ROUNDS }, (): FaultKind[] => [
  'cut (FIN)',
  'cut (RST)',
  'half-open',
  'latency',
  'Asterisk restart',
  'cut, then 2 logins cut',
  'throttle',
  'Asterisk down 3 s',
]).flat();

const CALL_EVERY_MS = 150;
// The originate's own 5 s ring Timeout plus the action timeout, as the client computes it.
const CALL_TIMEOUT_MS = 5_000 + CHAOS_ACTION_TIMEOUT;
// Timers fire late on a busy machine: a settle or a reconnect may overrun its bound by this much.
const SCHEDULING_SLACK_MS = 3_000;
// Back within the backoff bound: the next attempt comes at most maxDelay after the fault clears.
const BACK_WITHIN_MS = CHAOS_RECONNECT.maxDelay + SCHEDULING_SLACK_MS;
// A silent peer is declared dead after maxMissed unanswered pings, each waiting one interval.
const HALF_OPEN_DETECTED_WITHIN_MS =
  CHAOS_KEEPALIVE.interval * (CHAOS_KEEPALIVE.maxMissed + 1) + SCHEDULING_SLACK_MS;

interface CycleResult {
  kind: FaultKind;
  startedAt: number;
  endedAt: number;
  disconnects: AmiDisconnectInfo['reason'][];
  /** Every `disconnect` of the cycle said the client would reconnect (it always does here). */
  allSaidWillReconnect: boolean;
  /** ms from the fault clearing to the next login (negative: back before the clearing was noticed). */
  backAfterMs: number | null;
  /** ms from the proxy going silent to the client declaring the peer dead (half-open only). */
  detectedAfterMs: number | null;
  midFrameCuts: number;
  /** The proxy passed a Shutdown event on to the client during the cycle. */
  shutdownForwarded: boolean;
  leaks: string[];
  asteriskSessions: number;
  proxyConnections: number;
}

const itWithRig = asterisk.managed ? it : it.skip;

describe('chaos: faults under a steady load of real calls', () => {
  let proxy: FaultProxy;
  let client: AmiClient;
  let ledger: HangupLedger;
  let load: SteadyLoad;
  const disconnects: AmiDisconnectInfo[] = [];
  const backoffDelays: number[] = [];
  const results: CycleResult[] = [];

  beforeAll(async () => {
    proxy = await FaultProxy.start({ host: asterisk.host, port: asterisk.port });
    client = chaosClient(proxy.port);
    client.on('error', () => undefined);
    client.on('disconnect', (info) => disconnects.push(info));
    client.on('reconnecting', (info) => backoffDelays.push(info.delay));
    ledger = new HangupLedger(client);
    load = new SteadyLoad(client, runTag(), CALL_EVERY_MS, CALL_TIMEOUT_MS);
  });

  afterAll(async () => {
    await load.stop();
    ledger.dispose();
    await client.disconnect();
    await proxy.close();
    report(results, load, backoffDelays);
  });

  itWithRig(
    `survives ${PLAN.length} fault cycles: every action settles, no leak, no duplicate`,
    async () => {
      await client.connect();
      await sleep(500);
      const baseline: ResourceSnapshot = snapshot(client);

      for (const [index, kind] of PLAN.entries()) {
        const startedAt = Date.now();
        const firstDisconnect = disconnects.length;
        const shutdownsBefore = proxy.shutdownsForwarded;
        load.start();
        await sleep(600);
        const cycle = await inflict(kind);
        // Events flow again: a call started after the fault is answered and both its legs hang up.
        const since = cycle.flowingSince;
        const flowing = await eventually(
          () =>
            load
              .answeredSince(since)
              .some((call) => call.uniqueids.every((uniqueid) => ledger.has(uniqueid))),
          15_000,
        );
        expect({ cycle: index, kind, flowing }).toEqual({ cycle: index, kind, flowing: true });
        // Every call in flight settles (answer or typed error) within its timeout: stop() waits for all.
        expect(await settleWithin(load.stop(), CALL_TIMEOUT_MS + SCHEDULING_SLACK_MS)).toBeUndefined();
        const leaks = await leaksAfterSettling(client, baseline);
        const reasons = disconnects.slice(firstDisconnect).map((info) => info.reason);
        const shutdownForwarded = proxy.shutdownsForwarded > shutdownsBefore;
        const allSaidWillReconnect = disconnects.slice(firstDisconnect).every((info) => info.willReconnect);
        results.push({
          kind,
          startedAt,
          endedAt: Date.now(),
          disconnects: reasons,
          allSaidWillReconnect,
          backAfterMs: cycle.backAfterMs,
          detectedAfterMs: cycle.detectedAfterMs,
          midFrameCuts: cycle.midFrameCuts,
          shutdownForwarded,
          leaks,
          asteriskSessions: await eventuallyOneSession(),
          proxyConnections: proxy.openConnections,
        });
        expect({ cycle: index, kind, leaks }).toEqual({ cycle: index, kind, leaks: [] });
        expect({ cycle: index, kind, reasons, allSaidWillReconnect }).toEqual({
          cycle: index,
          kind,
          reasons: EXPECTED_DISCONNECTS[kind].map((reason) =>
            reason === 'shutdown' && !shutdownForwarded ? 'closed' : reason,
          ),
          allSaidWillReconnect: true,
        });
        if (cycle.backAfterMs !== null) expect(cycle.backAfterMs).toBeLessThanOrEqual(BACK_WITHIN_MS);
        if (cycle.detectedAfterMs !== null) {
          expect(cycle.detectedAfterMs).toBeLessThanOrEqual(HALF_OPEN_DETECTED_WITHIN_MS);
        }
        // The proxy saw the cut land inside a frame: the client was left holding half a message.
        if (kind.startsWith('cut')) expect(cycle.midFrameCuts).toBe(1);
        expect(client.state).toBe('connected');
      }

      // Every action settled, by its answer or a typed error, within its timeout.
      const untyped = load.settled.filter((call) => call.outcome.startsWith('untyped'));
      expect(untyped).toEqual([]);
      const late = load.settled.filter((call) => call.settledAfterMs > CALL_TIMEOUT_MS + SCHEDULING_SLACK_MS);
      expect(late).toEqual([]);
      expect(load.settled.filter((call) => !call.matched)).toEqual([]);
      expect(ledger.anomalies()).toEqual({ duplicates: [], missed: [] });
      // The backoff never waits longer than maxDelay, jitter included.
      expect(backoffDelays.filter((delay) => delay > CHAOS_RECONNECT.maxDelay)).toEqual([]);
      // The Shutdown path ran: at least one stop's event reached the client, which said 'shutdown'.
      expect(results.filter((result) => result.disconnects[0] === 'shutdown').length).toBeGreaterThan(0);
      // One session end to end after every cycle: none left behind in the proxy or in Asterisk.
      expect(results.map((result) => result.asteriskSessions)).toEqual(results.map(() => 1));
      expect(results.map((result) => result.proxyConnections)).toEqual(results.map(() => 1));
    },
    600_000,
  );

  async function inflict(kind: FaultKind): Promise<FaultTiming> {
    switch (kind) {
      case 'cut (FIN)':
      case 'cut (RST)': {
        const login = nextLogin(client, 30_000);
        const midFrameCuts = await proxy.cut({ reset: kind === 'cut (RST)' });
        return timeComeback(login, { midFrameCuts });
      }
      case 'half-open': {
        const dropped = new Promise<void>((resolve) => client.once('disconnect', () => resolve()));
        const login = nextLogin(client, 30_000);
        const silencedAt = Date.now();
        proxy.silence();
        await dropped;
        proxy.restore();
        return timeComeback(login, { detectedAfterMs: Date.now() - silencedAt });
      }
      case 'cut, then 2 logins cut': {
        proxy.cutLogins(2);
        const login = nextLogin(client, 30_000);
        const midFrameCuts = await proxy.cut({ reset: false });
        return timeComeback(login, { midFrameCuts });
      }
      case 'Asterisk down 3 s': {
        const login = nextLogin(client, 90_000);
        await rig('stop');
        await sleep(3_000);
        await rig('start');
        return timeComeback(login);
      }
      case 'Asterisk restart': {
        const login = nextLogin(client, 90_000);
        await rig('restart');
        return timeComeback(login);
      }
      case 'latency':
      case 'throttle': {
        const startedAt = Date.now();
        if (kind === 'latency') proxy.delay(100);
        else proxy.throttle(256 * 1024, 256);
        await sleep(2_000);
        proxy.restore();
        return { flowingSince: startedAt, backAfterMs: null, detectedAfterMs: null, midFrameCuts: 0 };
      }
    }
  }
});

interface FaultTiming {
  flowingSince: number;
  backAfterMs: number | null;
  detectedAfterMs: number | null;
  midFrameCuts: number;
}

/** The fault has just been cleared: waits for the client's next login and times the comeback from now. */
async function timeComeback(
  login: Promise<number>,
  {
    detectedAfterMs = null,
    midFrameCuts = 0,
  }: Partial<Pick<FaultTiming, 'detectedAfterMs' | 'midFrameCuts'>> = {},
): Promise<FaultTiming> {
  const clearedAt = Date.now();
  const loginAt = await login;
  return { flowingSince: loginAt, backAfterMs: loginAt - clearedAt, detectedAfterMs, midFrameCuts };
}

/** Asterisk closes a dropped session on its own schedule: give it a moment before counting. */
async function eventuallyOneSession(): Promise<number> {
  let sessions = await asteriskSessions();
  for (let tries = 0; sessions !== 1 && tries < 25; tries++) {
    await sleep(200);
    sessions = await asteriskSessions();
  }
  return sessions;
}

function report(results: CycleResult[], load: SteadyLoad, backoffDelays: number[]): void {
  const outcomes: Record<string, number> = {};
  for (const call of load.settled) outcomes[call.outcome] = (outcomes[call.outcome] ?? 0) + 1;
  // How calls ended, by the fault they met, and what the errors said.
  const outcomesByKind: Record<string, Record<string, number>> = {};
  for (const result of results) {
    const tally = outcomesByKind[result.kind] ?? {};
    outcomesByKind[result.kind] = tally;
    for (const call of load.settled) {
      if (call.startedAt < result.startedAt || call.startedAt > result.endedAt) continue;
      tally[call.outcome] = (tally[call.outcome] ?? 0) + 1;
    }
  }
  const errorMessages = [
    ...new Set(load.settled.flatMap((call) => (call.message === undefined ? [] : [call.message]))),
  ];
  const byKind: Record<string, number> = {};
  for (const result of results) byKind[result.kind] = (byKind[result.kind] ?? 0) + 1;
  const back = results.flatMap((result) => (result.backAfterMs === null ? [] : [result.backAfterMs]));
  const detected = results.flatMap((result) =>
    result.detectedAfterMs === null ? [] : [result.detectedAfterMs],
  );
  const figures = {
    faultCycles: PLAN.length,
    cyclesSurvived: results.filter((result) => result.leaks.length === 0).length,
    byKind,
    sessionDrops: results.reduce((sum, result) => sum + result.disconnects.length, 0),
    midFrameCuts: results.reduce((sum, result) => sum + result.midFrameCuts, 0),
    // Asterisk stops whose Shutdown event never came through the proxy.
    shutdownsLost: results.filter((result) => result.kind.startsWith('Asterisk') && !result.shutdownForwarded)
      .length,
    slowestReconnectMs: back.length > 0 ? Math.max(...back) : null,
    reconnectBoundMs: BACK_WITHIN_MS,
    reconnectAttempts: backoffDelays.length,
    longestBackoffMs: Math.max(0, ...backoffDelays),
    backoffMaxDelayMs: CHAOS_RECONNECT.maxDelay,
    slowestHalfOpenDetectionMs: detected.length > 0 ? Math.max(...detected) : null,
    halfOpenDetectionBoundMs: HALF_OPEN_DETECTED_WITHIN_MS,
    calls: load.settled.length,
    callOutcomes: outcomes,
    outcomesByKind,
    errorMessages,
    slowestSettleMs: Math.max(0, ...load.settled.map((call) => call.settledAfterMs)),
    callTimeoutMs: CALL_TIMEOUT_MS,
    leaksFound: results.reduce((sum, result) => sum + result.leaks.length, 0),
  };
  printFigures('Chaos: fault cycles under load (npm run test:chaos -- test/chaos/faults)', figures);
  recordFigures('chaos:faults', { ...figures, cycles: results });
}
