import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asterisk } from '../support/asterisk-target.js';

/** The built CLI: these tests run what `npx nestjs-ami` runs. */
export const cliPath = join(dirname(fileURLToPath(import.meta.url)), '../../../dist/cli/main.js');

/** Fails the suite with the fix when the package was not built. */
export function requireBuiltCli(): void {
  if (!existsSync(cliPath)) {
    throw new Error(`${cliPath} is missing: run "npm run build" before the CLI e2e tests`);
  }
}

type Env = Record<string, string | undefined>;

/** The test Asterisk in AMI_* variables, over a copy of this process's environment without AMI_*. */
export function cliEnv(overrides: Env = {}): Env {
  const env: Env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AMI_') && name !== 'NODE_OPTIONS') env[name] = value;
  }
  Object.assign(env, {
    AMI_HOST: asterisk.host,
    AMI_PORT: String(asterisk.port),
    AMI_USERNAME: asterisk.username,
    AMI_SECRET: asterisk.secret,
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `node dist/cli/main.js ...`, its output collected as it comes. */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliExit>;
  private readonly child: ChildProcess;
  private readonly watchers = new Set<() => void>();

  constructor(args: readonly string[], env: Env = cliEnv()) {
    this.child = spawn(process.execPath, [cliPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      this.stdout += text;
      this.notify();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderr += text;
      this.notify();
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => {
        this.notify();
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves once `condition` holds on the output; rejects if the process exits first or after `timeoutMs`. */
  waitFor(what: string, condition: (process: CliProcess) => boolean, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition(this)) return done();
        if (!this.running) done(new Error(`the CLI exited before ${what}; stderr: ${this.stderr}`));
      };
      const timer = setTimeout(
        () => done(new Error(`no ${what} within ${timeoutMs} ms; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.watchers.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.watchers.add(check);
      check();
    });
  }

  /** Stops it if a failed test left it running. */
  async dispose(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited.catch(() => undefined);
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }
}

/** Runs the CLI to its end; kills it if it is still running after `timeoutMs` (a hang fails the test). */
export async function runCli(
  args: readonly string[],
  env: Env = cliEnv(),
  timeoutMs = 60_000,
): Promise<CliExit> {
  const cli = new CliProcess(args, env);
  const timer = setTimeout(() => cli.kill('SIGKILL'), timeoutMs);
  try {
    return await cli.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The non-empty lines of an output. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
