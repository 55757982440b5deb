import { type AgiArgument, formatAgiCommand } from './agi-command.js';
import type { AgiEnvironment } from './agi-environment.js';
import { AmiAgiError, AmiAgiHangupError, AmiAgiTimeoutError } from './agi-errors.js';
import type { AgiReply } from './agi-reply.js';
import type { AgiTransport } from './agi-transport.js';

/** Options every command takes. */
export interface AgiCommandOptions {
  /** Milliseconds to wait for Asterisk's answer; 0 waits as long as the channel lives. */
  timeout?: number;
}

/** What a stream, say or record command reports: the digit that interrupted it, and where it stopped. */
export interface AgiPlaybackResult {
  /** The escape digit pressed, or null when the playback ran to its end. */
  digit: string | null;
  endpos?: number;
}

interface PendingCommand {
  command: string;
  commandId: string;
  timeoutMs: number;
  resolve: (reply: AgiReply) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
  /** Whether result=-1 is a failure worth telling apart from a hangup (see `receive`). */
  probeOnFailure: boolean;
}

/** Commands whose normal duration is set by the caller (playbacks, applications): no default timeout. */
const LONG_RUNNING = 0;

/**
 * One AGI session: the channel's environment and its typed commands. Commands run one at a time in the
 * order they were called. Once the channel hangs up (or the session ends), the pending command and every
 * queued or later one reject with AmiAgiHangupError at once.
 */
export class AgiCall {
  private readonly queue: PendingCommand[] = [];
  private inFlight: PendingCommand | undefined;
  private ended: AmiAgiError | undefined;
  private transportEnded = false;
  private readonly hangupProbes = new WeakMap<AgiReply, Promise<AgiReply>>();
  private nextCommandId = 0;
  private readonly endListeners: Array<() => void> = [];

  constructor(
    readonly env: AgiEnvironment,
    private readonly transport: AgiTransport,
    private readonly defaultTimeout = 30_000,
  ) {}

  /** The script name the dialplan asked for (`main-menu` in `AGI(agi:async,main-menu)`). */
  get script(): string {
    return this.env.script;
  }

  /** The AGI arguments after the script name. */
  get arguments(): string[] {
    return this.env.arguments;
  }

  get channel(): string {
    return this.env.channel;
  }

  get uniqueId(): string {
    return this.env.uniqueId;
  }

  /** Whether the channel hung up or the session ended: commands now reject at once. */
  get isEnded(): boolean {
    return this.ended !== undefined;
  }

  /** Commands queued or waiting for their answer. */
  get pendingCommandCount(): number {
    return this.queue.length + (this.inFlight === undefined ? 0 : 1);
  }

  answer(options?: AgiCommandOptions): Promise<void> {
    return this.expectSuccess('ANSWER', [], options);
  }

  /** Hangs up this channel (or another one by name). */
  async hangup(channel?: string, options?: AgiCommandOptions): Promise<void> {
    await this.expectSuccess('HANGUP', [channel], options);
  }

  async streamFile(
    file: string,
    options: AgiCommandOptions & { escapeDigits?: string; offset?: number } = {},
  ): Promise<AgiPlaybackResult> {
    const reply = await this.run(
      'STREAM FILE',
      [file, options.escapeDigits ?? '', options.offset],
      options,
      LONG_RUNNING,
    );
    return playback(reply);
  }

  async controlStreamFile(
    file: string,
    options: AgiCommandOptions & {
      escapeDigits?: string;
      skipMs?: number;
      forwardDigit?: string;
      rewindDigit?: string;
      pauseDigit?: string;
      offsetMs?: number;
    } = {},
  ): Promise<AgiPlaybackResult> {
    const args = [
      file,
      options.escapeDigits ?? '',
      options.skipMs,
      options.forwardDigit,
      options.rewindDigit,
      options.pauseDigit,
      options.offsetMs,
    ];
    return playback(await this.run('CONTROL STREAM FILE', args, options, LONG_RUNNING));
  }

  /**
   * Plays a prompt and reads digits until `#`, `maxDigits` or the inter-digit `timeout` (ms). Resolves with
   * the digits read ('' when none). `timeout` here is Asterisk's; the command's own wait is `commandTimeout`.
   */
  async getData(
    file: string,
    options: { timeout?: number; maxDigits?: number; commandTimeout?: number } = {},
  ): Promise<string> {
    const reply = await this.run(
      'GET DATA',
      [file, options.timeout, options.maxDigits],
      { timeout: options.commandTimeout },
      LONG_RUNNING,
    );
    return reply.result;
  }

  async sayDigits(
    digits: string,
    options: AgiCommandOptions & { escapeDigits?: string } = {},
  ): Promise<AgiPlaybackResult> {
    return playback(
      await this.run('SAY DIGITS', [digits, options.escapeDigits ?? ''], options, LONG_RUNNING),
    );
  }

  async sayNumber(
    value: number,
    options: AgiCommandOptions & { escapeDigits?: string; gender?: string } = {},
  ): Promise<AgiPlaybackResult> {
    return playback(
      await this.run(
        'SAY NUMBER',
        [value, options.escapeDigits ?? '', options.gender],
        options,
        LONG_RUNNING,
      ),
    );
  }

  /** Waits up to `timeoutMs` (-1: forever) for one digit; null when none came. */
  async waitForDigit(timeoutMs: number, options: AgiCommandOptions = {}): Promise<string | null> {
    const reply = await this.run('WAIT FOR DIGIT', [timeoutMs], options, LONG_RUNNING);
    return digitOf(reply.result);
  }

  async setVariable(name: string, value: string, options?: AgiCommandOptions): Promise<void> {
    await this.expectSuccess('SET VARIABLE', [name, value], options);
  }

  /** A channel variable or function (`CALLERID(num)`); undefined when it is not set. */
  getVariable(name: string, options?: AgiCommandOptions): Promise<string | undefined> {
    return this.getFullVariable(`\${${name}}`, options);
  }

  /** Evaluates an expression with variables (`${EXTEN}-${CALLERID(num)}`), as GET FULL VARIABLE does. */
  async getFullVariable(expression: string, options?: AgiCommandOptions): Promise<string | undefined> {
    const reply = await this.run('GET FULL VARIABLE', [expression], options);
    return reply.result === '1' ? (reply.data ?? '') : undefined;
  }

  /**
   * Runs a dialplan application; its arguments are joined with `,` as the dialplan does. Resolves with the
   * application's return value; rejects with AmiAgiError when the application does not exist.
   */
  async exec(application: string, ...args: string[]): Promise<number> {
    const reply = await this.run(
      'EXEC',
      [application, args.length === 0 ? undefined : args.join(',')],
      {},
      LONG_RUNNING,
      [-2],
    );
    if (reply.result === '-2')
      throw new AmiAgiError(`application ${application} not found`, `EXEC ${application}`, reply.code);
    return Number(reply.result);
  }

  /** Records to `file.format` until an escape digit, `timeoutMs` (-1: none) or `silenceSeconds` of silence. */
  async recordFile(
    file: string,
    format: string,
    options: AgiCommandOptions & {
      escapeDigits?: string;
      timeoutMs?: number;
      offsetSamples?: number;
      beep?: boolean;
      silenceSeconds?: number;
    } = {},
  ): Promise<AgiPlaybackResult> {
    const args: AgiArgument[] = [file, format, options.escapeDigits ?? '', options.timeoutMs ?? -1];
    if (options.offsetSamples !== undefined || options.beep || options.silenceSeconds !== undefined)
      args.push(options.offsetSamples ?? 0);
    if (options.beep) args.push('BEEP');
    if (options.silenceSeconds !== undefined) args.push(`s=${options.silenceSeconds}`);
    return playback(await this.run('RECORD FILE', args, options, LONG_RUNNING));
  }

  async setMusic(on: boolean, musicClass?: string, options?: AgiCommandOptions): Promise<void> {
    await this.run('SET MUSIC', [on ? 'on' : 'off', musicClass], options);
  }

  async verbose(message: string, level = 1, options?: AgiCommandOptions): Promise<void> {
    await this.run('VERBOSE', [message, level], options);
  }

  /**
   * Any other AGI command, arguments quoted like the typed ones. Resolves with the parsed reply even for
   * `result=-1`; rejects only when Asterisk refused the command (510, 511, 520) or the channel is gone.
   */
  raw(name: string, args: readonly AgiArgument[] = [], options?: AgiCommandOptions): Promise<AgiReply> {
    return this.run(name, args, options, undefined, 'any');
  }

  /** Registers a callback run once when the session ends (hangup, handler done, timeout). */
  onEnd(listener: () => void): void {
    if (this.ended !== undefined) listener();
    else this.endListeners.push(listener);
  }

  /**
   * For transports: an answer to the command in flight. Answers that match no command (a stale CommandID)
   * are ignored and reported as false.
   */
  receive(reply: AgiReply, commandId?: string): boolean {
    const current = this.inFlight;
    if (current === undefined || (commandId !== undefined && commandId !== current.commandId)) return false;
    this.inFlight = undefined;
    clearTimeout(current.timer);
    if (current.probeOnFailure && reply.code === 200 && reply.result === '-1') {
      // Asterisk answers result=-1 to a command interrupted by a hangup before it says HANGUP (or never
      // does, without AGISIGHUP). CHANNEL STATUS, run next before anything queued, tells them apart: a dead
      // channel gets 511 or ends the session.
      this.hangupProbes.set(reply, this.runFirst('CHANNEL STATUS'));
    }
    current.resolve(reply);
    this.pump();
    return true;
  }

  /** For transports: the channel hung up. Everything pending rejects now; later commands at once. */
  hungUp(reason = 'the channel hung up'): void {
    this.finish(new AmiAgiHangupError(reason));
  }

  /** Ends the session from our side (handler returned, protocol error): the transport closes the wire. */
  end(error?: AmiAgiError): void {
    this.finish(error ?? new AmiAgiHangupError('the AGI session has ended'));
    if (this.transportEnded) return;
    this.transportEnded = true;
    void Promise.resolve()
      .then(() => this.transport.end())
      .catch(() => undefined);
  }

  private finish(error: AmiAgiError): void {
    if (this.ended !== undefined) return;
    this.ended = error;
    const pending = this.inFlight === undefined ? [...this.queue] : [this.inFlight, ...this.queue];
    this.inFlight = undefined;
    this.queue.length = 0;
    for (const command of pending) {
      clearTimeout(command.timer);
      command.reject(withCommand(error, command.command));
    }
    for (const listener of this.endListeners.splice(0)) listener();
  }

  private async expectSuccess(name: string, args: AgiArgument[], options?: AgiCommandOptions): Promise<void> {
    await this.run(name, args, options);
  }

  /**
   * Queues one command. `acceptedResults` lists result values that are not failures: by default every
   * result but -1; 'any' takes every result of a 200 answer.
   */
  private run(
    name: string,
    args: readonly AgiArgument[],
    options: AgiCommandOptions = {},
    defaultTimeout = this.defaultTimeout,
    acceptedResults: number[] | 'any' = [],
  ): Promise<AgiReply> {
    let command: string;
    try {
      command = formatAgiCommand(name, args);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.ended !== undefined) return Promise.reject(withCommand(this.ended, command));
    return new Promise<AgiReply>((resolve, reject) => {
      this.queue.push({
        command,
        commandId: `${++this.nextCommandId}`,
        timeoutMs: options.timeout ?? defaultTimeout,
        resolve,
        reject,
        probeOnFailure: acceptedResults !== 'any' && !acceptedResults.includes(-1),
      });
      this.pump();
    }).then((reply) => this.check(reply, command, acceptedResults));
  }

  /** Queues a command ahead of every other queued one (the hangup probe). */
  private runFirst(command: string): Promise<AgiReply> {
    return new Promise<AgiReply>((resolve, reject) => {
      this.queue.unshift({
        command,
        commandId: `${++this.nextCommandId}`,
        timeoutMs: this.defaultTimeout,
        resolve,
        reject,
        probeOnFailure: false,
      });
    });
  }

  private async check(reply: AgiReply, command: string, accepted: number[] | 'any'): Promise<AgiReply> {
    if (reply.code === 511)
      throw new AmiAgiHangupError(`${command}: the channel is dead (511)`, command, reply.code);
    if (reply.code !== 200)
      throw new AmiAgiError(
        `${command}: Asterisk answered ${reply.text.split('\n', 1)[0]}`,
        command,
        reply.code,
      );
    if (accepted !== 'any' && reply.result === '-1' && !accepted.includes(-1)) {
      const probe = await this.hangupProbes.get(reply)?.catch((error: unknown) => error);
      const dead = probe instanceof AmiAgiHangupError || (probe as AgiReply | undefined)?.code === 511;
      if (dead) throw new AmiAgiHangupError(`${command}: the channel hung up`, command, reply.code);
      throw new AmiAgiError(`${command}: failed (result=-1)`, command, reply.code);
    }
    return reply;
  }

  private pump(): void {
    if (this.inFlight !== undefined || this.ended !== undefined) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    this.inFlight = next;
    if (next.timeoutMs > 0) {
      next.timer = setTimeout(() => {
        // Answers carry no id on FastAGI: after a timeout none could be matched again, so the session ends.
        const error = new AmiAgiTimeoutError(
          `${next.command}: no answer within ${next.timeoutMs} ms`,
          next.command,
          next.timeoutMs,
        );
        if (this.inFlight === next) this.inFlight = undefined;
        next.reject(error);
        this.end(new AmiAgiHangupError(`the AGI session ended after a command timed out`, next.command));
      }, next.timeoutMs);
    }
    try {
      const written = this.transport.write(next.command, next.commandId);
      if (written instanceof Promise)
        written.catch((error: unknown) => this.end(asAgiError(error, next.command)));
    } catch (error) {
      this.end(asAgiError(error, next.command));
    }
  }
}

function asAgiError(error: unknown, command: string): AmiAgiError {
  if (error instanceof AmiAgiError) return error;
  return new AmiAgiHangupError(`${command}: could not be sent`, command, undefined, { cause: error });
}

/** The shared end-of-session error, re-created per command so each rejection names its own command. */
function withCommand(error: AmiAgiError, command: string): AmiAgiError {
  const Type = error.constructor as new (
    message: string,
    command?: string,
    code?: number,
    options?: ErrorOptions,
  ) => AmiAgiError;
  return new Type(`${command}: ${error.message}`, command, error.code, { cause: error.cause });
}

function digitOf(result: string): string | null {
  const code = Number(result);
  return code > 0 ? String.fromCharCode(code) : null;
}

function playback(reply: AgiReply): AgiPlaybackResult {
  const result: AgiPlaybackResult = { digit: digitOf(reply.result) };
  if (reply.endpos !== undefined) result.endpos = reply.endpos;
  return result;
}
