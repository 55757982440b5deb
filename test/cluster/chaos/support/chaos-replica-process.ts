import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asterisk } from '../../../e2e/support/asterisk-target.js';

const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, 'chaos-replica.mjs');
const logDirectory = join(here, '../../../../.tmp/cluster-chaos');

/** The ChaosSlow handler's start or end: which event, which delivery. */
interface SlowHandlerReport {
  marker: string;
  eventId: string;
  deliveryCount: number;
  at: number;
}

/** What a replica reports over IPC (chaos-replica.mjs). */
export type ReplicaReport =
  | { type: 'ready'; replicaId: string; pid: number }
  | { type: 'handled'; uniqueid: string; eventId: string; deliveryCount: number; at: number }
  | ({ type: 'slowStarted' } & SlowHandlerReport)
  | ({ type: 'slowHandled' } & SlowHandlerReport)
  | { type: 'gained'; epoch: number; at: number }
  | { type: 'lost'; reason: string; at: number }
  | { type: 'gap'; from: number | null; to: number; epoch: number; at: number }
  | { type: 'originated'; tag: string; index: number; outcome: string; message?: string; at: number }
  | { type: 'status'; role: 'leader' | 'follower'; epoch: number | null; stats: Record<string, number> };

export type ReportOf<K extends ReplicaReport['type']> = Extract<ReplicaReport, { type: K }>;

export interface ReplicaSettings {
  redisUrl: string;
  group: string;
  leaseTtl: number;
  claimIdle: number;
  bufferLimit?: number;
}

/** One replica process of the chaos app and everything it reported, in order. */
export class ChaosReplica {
  readonly reports: ReplicaReport[] = [];
  replicaId = '';
  stopped = false;
  private output = '';
  private waiters: (() => void)[] = [];

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (report: ReplicaReport) => {
      if (report.type === 'ready') this.replicaId = report.replicaId;
      this.reports.push(report);
      this.wake();
    });
    for (const stream of [child.stdout, child.stderr])
      stream?.setEncoding('utf8').on('data', (text: string) => {
        this.output += text;
      });
    child.on('exit', () => this.wake());
  }

  static start(name: string, settings: ReplicaSettings): ChaosReplica {
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_OPTIONS: '',
      NO_COLOR: '1',
      AMI_HOST: asterisk.host,
      AMI_PORT: String(asterisk.port),
      AMI_USERNAME: asterisk.username,
      AMI_SECRET: asterisk.secret,
      REDIS_URL: settings.redisUrl,
      GROUP: settings.group,
      LEASE_TTL: String(settings.leaseTtl),
      CLAIM_IDLE: String(settings.claimIdle),
      BUFFER_LIMIT: String(settings.bufferLimit ?? 10_000),
    };
    const child = fork(runner, [], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    return new ChaosReplica(name, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Alive and not stopped by SIGSTOP: can take work. */
  get available(): boolean {
    return !this.exited && !this.stopped && this.child.connected;
  }

  of<K extends ReplicaReport['type']>(type: K): ReportOf<K>[] {
    return this.reports.filter((report): report is ReportOf<K> => report.type === type);
  }

  /** The first report of that type (from index `from` on) that matches; fails after `timeout` ms. */
  async next<K extends ReplicaReport['type']>(
    type: K,
    timeout: number,
    match: (report: ReportOf<K>) => boolean = () => true,
    from = 0,
  ): Promise<ReportOf<K>> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.reports
        .slice(from)
        .find((r): r is ReportOf<K> => r.type === type && match(r as ReportOf<K>));
      if (found !== undefined) return found;
      if (this.exited)
        throw new Error(`replica ${this.name} exited before reporting ${type}\n${this.tail()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`replica ${this.name}: no ${type} within ${timeout} ms\n${this.tail()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(message: Record<string, unknown>): boolean {
    if (!this.available) return false;
    this.child.send(message);
    return true;
  }

  async status(): Promise<ReportOf<'status'>> {
    const from = this.reports.length;
    this.child.send({ type: 'status' });
    return this.next('status', 10_000, () => true, from);
  }

  signal(signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): number {
    this.child.kill(signal);
    if (signal === 'SIGSTOP') this.stopped = true;
    if (signal === 'SIGCONT') this.stopped = false;
    return Date.now();
  }

  /** A clean close (IPC stop), SIGKILL if it does not end in time; keeps its log in .tmp/cluster-chaos. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (!this.exited) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGCONT');
      if (this.child.connected) this.child.send({ type: 'stop' });
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    mkdirSync(logDirectory, { recursive: true });
    writeFileSync(join(logDirectory, `${this.name}-${this.pid}.log`), this.output);
  }

  tail(lines = 30): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
