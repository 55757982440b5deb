import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'once-replica.mjs');
const built = join(here, '../../../../dist/cluster/consumers/index.js');

/** support/once-replica.mjs in its own process; `lines` are the JSON lines it printed. */
export class ReplicaProcess {
  readonly lines: Record<string, unknown>[] = [];
  private output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<void>;

  constructor(env: { url: string; stream: string; dead: string; name: string }) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run "npm run build" first`);
    const childEnv: Record<string, string | undefined> = {
      ...process.env,
      REPLICA_REDIS_URL: env.url,
      REPLICA_STREAM: env.stream,
      REPLICA_DEAD: env.dead,
      REPLICA_NAME: env.name,
    };
    delete childEnv.NODE_OPTIONS;
    this.child = spawn(process.execPath, [script], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      this.output += text;
      let newline = this.output.indexOf('\n');
      while (newline >= 0) {
        this.lines.push(JSON.parse(this.output.slice(0, newline)) as Record<string, unknown>);
        this.output = this.output.slice(newline + 1);
        newline = this.output.indexOf('\n');
      }
    });
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => process.stderr.write(text));
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  kill(): Promise<void> {
    this.child.kill('SIGKILL');
    return this.exited;
  }
}
