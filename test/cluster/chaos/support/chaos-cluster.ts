import { randomBytes } from 'node:crypto';
import { AmiClient, type AmiEvent } from '../../../../lib/client.js';
import { localCall } from '../../../chaos/support/local-calls.js';
import { asterisk } from '../../../e2e/support/asterisk-target.js';
import { redisTarget } from '../../support/redis-server.js';
import { ChaosReplica, type ReplicaSettings, type ReportOf } from './chaos-replica-process.js';

export const LEASE_TTL = 3_000;
export const CLAIM_IDLE = 2_000;
/** One Local call every 200 ms: 5 calls/s, 10 Hangups/s (two channels per call), about 100 events/s. */
export const CALL_EVERY_MS = 200;
/** The documented failover bound the suite asserts, generously: three leases and a login. */
export const FAILOVER_BOUND_MS = LEASE_TTL * 3 + 5_000;
/**
 * A lost Hangup is seen by the test's own session and dated there; the gap's bounds are dated by the
 * leaders' sessions. Two sessions of one Asterisk on one host see an event within a few ms of each other:
 * this much slack, no more, is allowed at each end of the window.
 */
export const GAP_CLOCK_SLACK_MS = 250;

export async function until<T>(
  what: string,
  probe: () => T | undefined | false,
  timeout = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Originated {
  index: number;
  replica: ChaosReplica;
  uniqueids: string[];
  sentAt: number;
}

/** What the replicas handled compared with what Asterisk emitted, for one scenario. */
export interface Ledger {
  /** Hangups of our calls the test's own AMI session saw. */
  observed: number;
  /** Of those, how many some replica handled. */
  handled: number;
  /** Observed, handled by no replica: the Uniqueid and when the test's session saw it. */
  lost: { uniqueid: string; at: number }[];
  /** One Hangup in two stream entries (two leaders published it): must never happen. */
  publishedTwice: string[];
  /** One entry handled twice on first deliveries (not a claim): a steady-state duplicate. */
  deliveredTwice: string[];
  /** One entry handled again after a claim (deliveryCount >= 2): at-least-once across a fault. */
  redelivered: { uniqueid: string; eventId: string; deliveryCount: number }[];
}

/**
 * Three (or more) chaos replicas on one group, the test's own AMI session watching every Hangup of the
 * run's calls, and a steady call load originated from whichever replicas are available.
 */
export class ChaosCluster {
  readonly tag = `k${randomBytes(3).toString('hex')}`;
  readonly group = `chaos-${randomBytes(4).toString('hex')}`;
  readonly replicas: ChaosReplica[] = [];
  /** Our calls' Hangups, by Uniqueid, dated when the observer saw them. */
  readonly observed = new Map<string, number>();
  private readonly originated = new Map<number, Originated>();
  private observer: AmiClient | null = null;
  private loadTimer: NodeJS.Timeout | null = null;
  private nextIndex = 0;
  private turn = 0;

  constructor(private readonly settings: Partial<ReplicaSettings> = {}) {}

  get replicaSettings(): ReplicaSettings {
    return {
      redisUrl: redisTarget.url,
      group: this.group,
      leaseTtl: LEASE_TTL,
      claimIdle: CLAIM_IDLE,
      ...this.settings,
    };
  }

  /** Starts the observer and `count` replicas; resolves once one of them leads and all are ready. */
  async start(count = 3): Promise<ChaosReplica> {
    this.observer = new AmiClient({
      host: asterisk.host,
      port: asterisk.port,
      username: asterisk.username,
      secret: asterisk.secret,
      reconnect: false,
    });
    this.observer.onEvent('Hangup', (event: AmiEvent) => {
      const id = String(event.Uniqueid);
      if (id.startsWith(this.tag) && !this.observed.has(id)) this.observed.set(id, Date.now());
    });
    await this.observer.connect();
    for (let i = 1; i <= count; i++) this.replicas.push(ChaosReplica.start(`r${i}`, this.replicaSettings));
    await Promise.all(this.replicas.map((replica) => replica.next('ready', 60_000)));
    return this.leader(30_000);
  }

  /** The replica that gained the leadership last, among the available ones, once one did. */
  async leader(timeout: number, after = 0): Promise<ChaosReplica> {
    return until(
      'a leader',
      () => {
        const leaders = this.replicas
          .filter((replica) => replica.available)
          .map((replica) => ({
            replica,
            gained: this.lastOf(replica, 'gained'),
            lost: this.lastOf(replica, 'lost'),
          }))
          .filter(
            ({ gained, lost }) => gained !== undefined && gained.at >= after && (lost?.at ?? 0) < gained.at,
          );
        return leaders.length === 1 ? leaders[0].replica : undefined;
      },
      timeout,
    );
  }

  /** A UserEvent from the test's own session: only the leader's event session brings it to the replicas. */
  async userEvent(name: string, marker: string): Promise<void> {
    await this.observer?.send({ Action: 'UserEvent', UserEvent: name, Marker: marker });
  }

  /** Resolves once `count` Hangups were handled (by any replica) after `since`. */
  handledAfter(since: number, count: number, timeout = 40_000): Promise<true> {
    return until(
      `${count} Hangups handled after ${since}`,
      () => this.handledReports().filter((report) => report.at > since).length >= count,
      timeout,
    );
  }

  /** Sends one call to originate to `replica`. */
  originate(replica: ChaosReplica): void {
    const index = this.nextIndex++;
    const call = localCall(this.tag, index);
    if (replica.send({ type: 'originate', tag: this.tag, index, params: call.params }))
      this.originated.set(index, { index, replica, uniqueids: call.uniqueids, sentAt: Date.now() });
  }

  /** Originates sent to surviving replicas before `time` whose outcome came after it: in flight then. */
  inFlightAt(time: number): number {
    return [...this.originated.values()].filter((call) => {
      if (call.replica.exited || call.sentAt > time) return false;
      const outcome = call.replica
        .of('originated')
        .find((report) => report.tag === this.tag && report.index === call.index);
      return outcome !== undefined && outcome.at > time;
    }).length;
  }

  /** Starts originating one call every CALL_EVERY_MS, round robin on the available replicas. */
  startLoad(): void {
    const tick = () => {
      const available = this.replicas.filter((replica) => replica.available);
      if (available.length > 0) this.originate(available[this.turn++ % available.length]);
      this.loadTimer = setTimeout(tick, CALL_EVERY_MS);
    };
    tick();
  }

  /**
   * Stops the load and waits until every call sent to a replica still alive settled (answer or error)
   * and every answered call's two Hangups reached the observer. Returns the outcomes, by kind.
   */
  async stopLoad(
    timeout = 30_000,
  ): Promise<{ sent: number; outcomes: Record<string, number>; hung: number }> {
    if (this.loadTimer !== null) clearTimeout(this.loadTimer);
    this.loadTimer = null;
    const survivors = () => [...this.originated.values()].filter((call) => !call.replica.exited);
    const outcomeOf = (call: Originated) =>
      call.replica.of('originated').find((report) => report.tag === this.tag && report.index === call.index);
    const settled = () => survivors().every((call) => outcomeOf(call) !== undefined);
    await until('every originate on a live replica settled', settled, timeout).catch(() => undefined);
    const outcomes: Record<string, number> = {};
    let hung = 0;
    for (const call of survivors()) {
      const outcome = outcomeOf(call)?.outcome;
      if (outcome === undefined) hung += 1;
      else outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    await until(
      "the answered calls' Hangups at the observer",
      () =>
        survivors()
          .filter((call) => outcomeOf(call)?.outcome === 'answered')
          .every((call) => call.uniqueids.every((id) => this.observed.has(id))),
      timeout,
    );
    return { sent: survivors().length, outcomes, hung };
  }

  /**
   * Waits until every observed Hangup was handled by some replica, or, when some never are (lost in a
   * gap), until nothing more can come: no handled report for two claim periods. Then compares.
   */
  async settleLedger(): Promise<Ledger> {
    let last = -1;
    let quietSince = Date.now();
    await until(
      'every observed Hangup handled, or no more handling',
      () => {
        const count = this.handledReports().length;
        if (count !== last) {
          last = count;
          quietSince = Date.now();
        }
        const handled = new Set(this.handledReports().map((report) => report.uniqueid));
        const all = [...this.observed.keys()].every((id) => handled.has(id));
        return all || Date.now() - quietSince > CLAIM_IDLE * 2 + 2_000;
      },
      60_000,
    );
    return this.ledger();
  }

  ledger(): Ledger {
    const byId = new Map<string, { eventId: string; deliveryCount: number }[]>();
    for (const report of this.handledReports()) {
      if (!report.uniqueid.startsWith(this.tag)) continue;
      const list = byId.get(report.uniqueid) ?? [];
      list.push(report);
      byId.set(report.uniqueid, list);
    }
    const ledger: Ledger = {
      observed: this.observed.size,
      handled: 0,
      lost: [],
      publishedTwice: [],
      deliveredTwice: [],
      redelivered: [],
    };
    for (const [uniqueid, at] of this.observed) {
      if (byId.has(uniqueid)) ledger.handled += 1;
      else ledger.lost.push({ uniqueid, at });
    }
    for (const [uniqueid, handled] of byId) {
      if (new Set(handled.map((h) => h.eventId)).size > 1) ledger.publishedTwice.push(uniqueid);
      if (handled.filter((h) => h.deliveryCount === 1).length > 1) ledger.deliveredTwice.push(uniqueid);
      for (const h of handled) if (h.deliveryCount >= 2) ledger.redelivered.push({ uniqueid, ...h });
    }
    return ledger;
  }

  /** Every eventGap reported (each replica reports each gap; one per epoch kept). */
  gaps(): ReportOf<'gap'>[] {
    const byEpoch = new Map<number, ReportOf<'gap'>>();
    for (const replica of this.replicas) for (const gap of replica.of('gap')) byEpoch.set(gap.epoch, gap);
    return [...byEpoch.values()].sort((a, b) => a.to - b.to);
  }

  /**
   * How far each lost Hangup lies outside the nearest gap window [from, to] (0 when inside): the worst one.
   * A gap with `from: null` (an empty stream: the first leader, or Redis lost its data) is open on the left.
   */
  worstGapMiss(lost: readonly { at: number }[], gaps = this.gaps()): number {
    let worst = 0;
    for (const { at } of lost) {
      const misses = gaps.map((gap) => Math.max(0, (gap.from ?? -Infinity) - at, at - gap.to));
      worst = Math.max(worst, misses.length === 0 ? Infinity : Math.min(...misses));
    }
    return worst;
  }

  async stop(): Promise<void> {
    if (this.loadTimer !== null) clearTimeout(this.loadTimer);
    await Promise.all(this.replicas.map((replica) => replica.stop()));
    await this.observer?.disconnect().catch(() => undefined);
  }

  private handledReports(): ReportOf<'handled'>[] {
    return this.replicas.flatMap((replica) => replica.of('handled'));
  }

  private lastOf<K extends 'gained' | 'lost'>(replica: ChaosReplica, type: K): ReportOf<K> | undefined {
    return replica.of(type).at(-1);
  }
}

/** The ms part of a stream entry ID (Redis' clock when the entry was appended). */
export const entryTime = (eventId: string) => Number(eventId.split('-')[0]);
