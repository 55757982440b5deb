import type { Socket } from 'node:net';
import { AgiCall } from './agi-call.js';
import { addEnvironmentLine, typedEnvironment } from './agi-environment.js';
import { type AmiAgiError, AmiAgiProtocolError } from './agi-errors.js';
import { parseAgiReply, startsMultiLineReply } from './agi-reply.js';
import { type FastAgiLimits, FastAgiLineReader } from './fast-agi-reader.js';

export interface FastAgiConnectionOptions {
  limits: FastAgiLimits;
  /** Milliseconds the peer has to send its whole environment (default 10 s): a silent peer is closed. */
  environmentTimeout: number;
  /** Default timeout of short commands (ms). */
  commandTimeout: number;
  onCall: (call: AgiCall) => void;
  onProtocolError: (error: AmiAgiError) => void;
}

/**
 * One FastAGI TCP connection: reads the `agi_*` environment up to its empty line, then hands an AgiCall to
 * `onCall` and feeds it the answers. `HANGUP` lines (AGISIGHUP) and the socket closing end the call.
 */
export class FastAgiConnection {
  private readonly raw: Record<string, string> = Object.create(null);
  private environmentLines = 0;
  private call: AgiCall | undefined;
  private replyLines: string[] = [];
  private readonly reader: FastAgiLineReader;
  private readonly environmentTimer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: FastAgiConnectionOptions,
  ) {
    this.reader = new FastAgiLineReader(options.limits, (line) => this.onLine(line));
    this.environmentTimer = setTimeout(
      () =>
        this.fail(
          new AmiAgiProtocolError(
            `FastAGI peer sent no complete environment within ${options.environmentTimeout} ms`,
          ),
        ),
      options.environmentTimeout,
    );
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch (error) {
        this.fail(error as AmiAgiError);
      }
    });
    socket.on('error', () => this.onClose());
    socket.on('close', () => this.onClose());
  }

  private onLine(line: string): void {
    if (this.closed) return;
    if (this.call === undefined) return this.onEnvironmentLine(line);
    if (this.replyLines.length > 0) return this.onReplyContinuation(line);
    if (line === 'HANGUP') return this.call.hungUp('the channel hung up (HANGUP from Asterisk)');
    if (line === '') return;
    if (startsMultiLineReply(line)) {
      this.replyLines.push(line);
      return;
    }
    const reply = parseAgiReply(line);
    if (reply === undefined || !this.call.receive(reply))
      this.fail(
        new AmiAgiProtocolError(
          `unexpected line from the FastAGI peer: ${JSON.stringify(line.slice(0, 80))}`,
        ),
      );
  }

  private onReplyContinuation(line: string): void {
    this.replyLines.push(line);
    if (this.replyLines.length > this.options.limits.maxReplyLines) {
      this.fail(
        new AmiAgiProtocolError(`FastAGI answer longer than ${this.options.limits.maxReplyLines} lines`),
      );
      return;
    }
    if (!/^\d{3} /.test(line)) return;
    const text = this.replyLines.join('\n');
    this.replyLines = [];
    const reply = parseAgiReply(text);
    if (reply === undefined || !this.call?.receive(reply))
      this.fail(new AmiAgiProtocolError('unexpected multi-line answer from the FastAGI peer'));
  }

  private onEnvironmentLine(line: string): void {
    if (line === '') {
      clearTimeout(this.environmentTimer);
      if (this.environmentLines === 0) {
        this.fail(new AmiAgiProtocolError('FastAGI peer sent an empty environment'));
        return;
      }
      this.call = new AgiCall(typedEnvironment(this.raw), this, this.options.commandTimeout);
      this.options.onCall(this.call);
      return;
    }
    if (!addEnvironmentLine(this.raw, line)) {
      this.fail(
        new AmiAgiProtocolError(
          `FastAGI peer sent a line that is no agi_ variable: ${JSON.stringify(line.slice(0, 80))}`,
        ),
      );
      return;
    }
    if (++this.environmentLines > this.options.limits.maxEnvironmentLines)
      this.fail(
        new AmiAgiProtocolError(
          `FastAGI environment longer than ${this.options.limits.maxEnvironmentLines} lines`,
        ),
      );
  }

  /** AgiTransport: one command per line. */
  write(command: string): void {
    if (this.closed) throw new AmiAgiProtocolError('the FastAGI connection is closed', command);
    this.socket.write(`${command}\n`);
  }

  /** AgiTransport: closing the socket lets the dialplan continue after AGI(). */
  end(): void {
    this.closeSocket();
  }

  private fail(error: AmiAgiError): void {
    if (this.closed) return;
    this.options.onProtocolError(error);
    this.call?.end(error);
    this.closeSocket();
  }

  private closeSocket(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.environmentTimer);
    this.socket.end();
    // A peer that never reads would keep the socket half-open: give it a moment, then destroy.
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private onClose(): void {
    clearTimeout(this.environmentTimer);
    this.closed = true;
    this.call?.hungUp('the FastAGI connection closed');
  }
}
