import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { redisTarget } from './redis-server.js';

const runner = fileURLToPath(new URL('./replica-runner.mjs', import.meta.url));

export interface ReplicaMessage {
  type: 'ready' | 'elected' | 'deposed' | 'stats';
  identity?: string;
  epoch?: number;
  reason?: string;
  at?: number;
  published?: number;
  dropped?: number;
  refused?: number;
  buffered?: number;
  role?: string;
}

/** A replica process (replica-runner.mjs) and what it said, in order. */
export class Replica {
  readonly messages: ReplicaMessage[] = [];
  identity = '';
  private waiters: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: ReplicaMessage) => {
      if (message.type === 'ready') this.identity = message.identity ?? '';
      this.messages.push(message);
      for (const wake of this.waiters.splice(0)) wake();
    });
    child.on('exit', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** The first message from now on (or already received, from `from`) that matches. */
  async next(match: (m: ReplicaMessage) => boolean, timeout: number, from = 0): Promise<ReplicaMessage> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.exited) throw new Error(`replica ${this.pid} exited`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`replica ${this.pid}: no matching message within ${timeout} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stats(): Promise<ReplicaMessage> {
    const from = this.messages.length;
    this.child.send({ type: 'stats' });
    return this.next((m) => m.type === 'stats', 10_000, from);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.signalCode === null) this.child.kill('SIGCONT');
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function startReplicas(
  count: number,
  env: { group: string; leaseTtl: number; tickMs?: number },
): Promise<Replica[]> {
  const replicas = Array.from(
    { length: count },
    () =>
      new Replica(
        fork(runner, [], {
          env: {
            ...process.env,
            NODE_OPTIONS: '',
            REDIS_URL: redisTarget.url,
            GROUP: env.group,
            LEASE_TTL: String(env.leaseTtl),
            TICK_MS: String(env.tickMs ?? 20),
          },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      ),
  );
  await Promise.all(replicas.map((replica) => replica.next((m) => m.type === 'ready', 30_000)));
  return replicas;
}
