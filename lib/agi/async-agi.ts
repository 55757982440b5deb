import type { AmiLogger } from '../client/ami-client.types.js';
import { silentLogger } from '../client/ami-logger.js';
import type { AmiEvent, AmiResponse } from '../protocol/ami-message.js';
import { AgiCall } from './agi-call.js';
import { decodeAsyncEnvironment, safeDecode, typedEnvironment } from './agi-environment.js';
import { parseAgiReply } from './agi-reply.js';
import { type AgiHandler, AmiAgiRouter } from './agi-router.js';
import { runAgiSession } from './agi-session-runner.js';

/** The part of AmiClient AsyncAGI uses (AmiClient fits; so does a test double). */
export interface AsyncAgiConnection {
  onEvent(name: string, listener: (event: AmiEvent) => void): () => void;
  send(action: { Action: string } & Record<string, string>): Promise<AmiResponse>;
  /** AmiClient's lifecycle: a lost connection ends every session (their answers would never arrive). */
  on?(event: 'disconnect', listener: () => void): unknown;
  off?(event: 'disconnect', listener: () => void): unknown;
}

export interface AmiAsyncAgiOptions {
  router?: AmiAgiRouter;
  logger?: AmiLogger;
  /** Hang up the channel when a handler throws (default true). */
  hangupOnError?: boolean;
  onError?: (error: unknown, call: AgiCall) => void;
  /** Default timeout of short commands (default 30 000 ms). */
  commandTimeout?: number;
  /**
   * Decides whether this process handles a session (for several processes on one PBX): resolve false and
   * another one will. Default: every AsyncAGIStart this connection receives is handled.
   */
  claim?: (channel: string, uniqueId: string) => boolean | Promise<boolean>;
}

interface AsyncSession {
  call: AgiCall;
  done: Promise<void>;
}

/**
 * AsyncAGI over an AMI connection: `AGI(agi:async,main-menu)` raises AsyncAGIStart, commands go out as
 * `Action: AGI` with a CommandID, their answers come back in AsyncAGIExec, and AsyncAGIEnd ends the session.
 * When a handler returns, `ASYNCAGI BREAK` hands the channel back to the dialplan.
 */
export class AmiAsyncAgi {
  readonly router: AmiAgiRouter;
  private readonly sessions = new Map<string, AsyncSession>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly logger: AmiLogger;
  private stopped = false;

  constructor(
    private readonly connection: AsyncAgiConnection,
    private readonly options: AmiAsyncAgiOptions = {},
  ) {
    this.router = options.router ?? new AmiAgiRouter();
    this.logger = options.logger ?? silentLogger;
    this.unsubscribe.push(
      connection.onEvent('AsyncAGIStart', (event) => void this.start(event)),
      connection.onEvent('AsyncAGIExec', (event) => this.exec(event)),
      connection.onEvent('AsyncAGIEnd', (event) => this.hungUp(event, 'the AsyncAGI session ended')),
      connection.onEvent('Hangup', (event) => this.hungUp(event, 'the channel hung up')),
    );
    if (typeof connection.on === 'function') {
      const lost = () => {
        for (const session of this.sessions.values()) session.call.hungUp('the AMI connection was lost');
      };
      connection.on('disconnect', lost);
      this.unsubscribe.push(() => connection.off?.('disconnect', lost));
    }
  }

  route(script: string, handler: AgiHandler): () => void {
    return this.router.route(script, handler);
  }

  /** Sessions whose handler has not finished yet. */
  get activeSessionCount(): number {
    return this.sessions.size;
  }

  /** Stops taking new sessions and waits up to `graceMs` for running ones. */
  async close(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    for (const stop of this.unsubscribe.splice(0)) stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.sessions.values()].map((session) => session.done)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const session of this.sessions.values()) session.call.end();
  }

  private async start(event: AmiEvent): Promise<void> {
    const channel = text(event.Channel);
    if (this.stopped || channel === '' || this.sessions.has(channel)) return;
    const env = typedEnvironment(decodeAsyncEnvironment(text(event.Env)));
    if (this.router.find(env.script) === undefined) return; // another application may serve this script
    if (this.options.claim !== undefined) {
      const mine = await Promise.resolve(this.options.claim(channel, env.uniqueId)).catch(() => false);
      if (!mine || this.stopped || this.sessions.has(channel)) return;
    }
    const connection = this.connection;
    let ended = false;
    const call = new AgiCall(
      env,
      {
        write: async (command, commandId) => {
          await connection.send({ Action: 'AGI', Channel: channel, Command: command, CommandID: commandId });
        },
        end: async () => {
          if (ended) return;
          ended = true;
          await connection
            .send({ Action: 'AGI', Channel: channel, Command: 'ASYNCAGI BREAK', CommandID: 'break' })
            .catch(() => undefined);
        },
      },
      this.options.commandTimeout,
    );
    const done = runAgiSession(call, this.router, {
      logger: this.logger,
      hangupOnError: this.options.hangupOnError,
      onError: this.options.onError,
    }).finally(() => {
      if (this.sessions.get(channel)?.call === call) this.sessions.delete(channel);
    });
    this.sessions.set(channel, { call, done });
  }

  private exec(event: AmiEvent): void {
    const session = this.sessions.get(text(event.Channel));
    if (session === undefined) return;
    const reply = parseAgiReply(safeDecode(text(event.Result)).trim());
    if (reply !== undefined) session.call.receive(reply, text(event.CommandId ?? event.CommandID)); // Asterisk 22 spells it CommandId
  }

  private hungUp(event: AmiEvent, reason: string): void {
    this.sessions.get(text(event.Channel))?.call.hungUp(reason);
  }
}

function text(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
