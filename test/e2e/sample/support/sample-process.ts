import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asterisk } from '../../support/asterisk-target.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const main = join(root, 'sample/dist/main.js');

/** How the process ended. */
export interface SampleExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

/**
 * The sample app in a process of its own, as `npm start` runs it (sample/dist/main.js on the built
 * package), pointed at the test Asterisk, on a free port.
 */
export class SampleProcess {
  private output = '';
  private readonly exited: Promise<SampleExit>;

  private constructor(
    private readonly child: ChildProcess,
    /** Where it listens (http://host:port), once started. */
    public url = '',
  ) {
    for (const stream of [child.stdout, child.stderr])
      stream?.setEncoding('utf8').on('data', (text: string) => {
        this.output += text;
      });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts one and resolves once it listens (its AMI client logged in before that). `environment` adds
   * settings (REDIS_URL for cluster mode).
   */
  static async start(timeoutMs = 30_000, environment: Record<string, string> = {}): Promise<SampleProcess> {
    if (!existsSync(main)) {
      throw new Error(`${main} is missing: run "npm run build && npm run build:sample" first`);
    }
    const env: Record<string, string | undefined> = {
      ...process.env,
      AMI_HOST: asterisk.host,
      AMI_PORT: String(asterisk.port),
      AMI_USERNAME: asterisk.username,
      AMI_SECRET: asterisk.secret,
      PORT: '0',
      NO_COLOR: '1',
      ...environment,
    };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sample = new SampleProcess(child);
    sample.url = await sample.listening(timeoutMs);
    return sample;
  }

  async post<T>(path: string, body: unknown): Promise<HttpAnswer<T>> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async get<T>(path: string): Promise<HttpAnswer<T>> {
    const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(30_000) });
    return { status: response.status, body: (await response.json()) as T };
  }

  /**
   * SIGTERM, as a process manager stops it; SIGKILL if it has not ended within `timeoutMs`. Resolves with
   * how it ended: `{ code: 0, signal: null }` is a clean close.
   */
  async stop(timeoutMs = 15_000): Promise<SampleExit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    // Its log joins the secrets audit of the e2e run (test/e2e/support/global-teardown.mjs).
    const logDirectory = process.env.AMI_E2E_LOG_DIR;
    if (logDirectory !== undefined)
      writeFileSync(join(logDirectory, `sample-${this.child.pid}.log`), this.output);
    return exit;
  }

  private listening(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const url = /Listening on (http:\/\/[^\s:]+:\d+):/.exec(this.output)?.[1];
        if (url !== undefined) done(undefined, url);
      };
      const onExit = () => done(new Error(`the sample exited before listening:\n${this.output}`));
      const timer = setTimeout(
        () => done(new Error(`the sample did not listen within ${timeoutMs} ms:\n${this.output}`)),
        timeoutMs,
      );
      const done = (error: Error | undefined, url?: string) => {
        clearTimeout(timer);
        this.child.stdout?.off('data', check);
        this.child.off('exit', onExit);
        if (error) {
          this.child.kill('SIGKILL');
          reject(error);
        } else resolve(url as string);
      };
      this.child.stdout?.on('data', check);
      this.child.once('exit', onExit);
      check();
    });
  }
}
