import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AmiMessage } from '../../../../lib/client.js';
import type { SeenResponse } from '../../support/originate-rounds.js';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'originate-party.mjs');
const builtClient = join(here, '../../../../dist/client.js');

/** An originate as the child saw it settle. */
export interface PartySettlement {
  resolved: boolean;
  response: AmiMessage | undefined;
  error?: string;
}

interface PartyOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  actionIdPrefix?: string;
}

type Reply = Record<string, unknown>;

/** An AmiClient of the built package in its own process (support/originate-party.mjs), driven over IPC. */
export class PartyProcess {
  private readonly child: ChildProcess;
  private output = '';
  private readonly exited: Promise<void>;

  private constructor(options: PartyOptions) {
    if (!existsSync(builtClient)) {
      throw new Error(`${builtClient} is missing: run "npm run build" before the two-process e2e test`);
    }
    const env: Record<string, string | undefined> = {
      ...process.env,
      PARTY_OPTIONS: JSON.stringify(options),
    };
    delete env.NODE_OPTIONS;
    this.child = fork(script, [], { env, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.setEncoding('utf8').on('data', (text: string) => {
        this.output += text;
      });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Starts one and resolves once its client has logged in. */
  static async start(options: PartyOptions): Promise<PartyProcess> {
    const party = new PartyProcess(options);
    await party.reply('ready');
    return party;
  }

  /** Places these originates at once in the child; resolves with how each settled, in order. */
  async round(originates: readonly object[]): Promise<PartySettlement[]> {
    const settled = this.reply('settled');
    this.child.send({ round: originates });
    return (await settled).settled as PartySettlement[];
  }

  /** Waits in the child for the OriginateResponses with these caller numbers; returns all it saw, then it logs off. */
  async finish(callerIdNums: readonly string[]): Promise<SeenResponse[]> {
    const seen = this.reply('seen');
    this.child.send({ finish: callerIdNums });
    return (await seen).seen as SeenResponse[];
  }

  /** Kills it if it is still running (a failed test) and waits for its end. */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** The next message carrying `key`; rejects on a reported failure, an exit, or after `timeoutMs`. */
  private reply(key: string, timeoutMs = 30_000): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const done = (error: Error | undefined, message?: Reply) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve(message as Reply);
      };
      const onMessage = (message: Reply) => {
        if (message.failed !== undefined)
          done(new Error(`the party process failed: ${String(message.failed)}`));
        else if (message[key] !== undefined) done(undefined, message);
      };
      const onExit = () =>
        done(new Error(`the party process exited before "${key}"; output: ${this.output}`));
      const timer = setTimeout(
        () =>
          done(
            new Error(`no "${key}" from the party process within ${timeoutMs} ms; output: ${this.output}`),
          ),
        timeoutMs,
      );
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }
}
