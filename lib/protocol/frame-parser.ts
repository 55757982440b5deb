import { StringDecoder } from 'node:string_decoder';
import { AmiProtocolError } from '../errors/ami-errors.js';
import { type AmiMessage, createHeaderRecord } from './ami-message.js';

export type AmiEncoding = 'utf8' | 'latin1' | 'ascii';

export interface FrameParserLimits {
  /** Characters one message may span, its line endings included. */
  maxFrameSize: number;
  /** Header lines (Command output lines included) one message may carry. */
  maxHeaders: number;
}

export const DEFAULT_FRAME_LIMITS: FrameParserLimits = {
  maxFrameSize: 8 * 1024 * 1024,
  maxHeaders: 100_000,
};

export interface FrameParserSink {
  /** The first line, once: `version` is what follows the slash, e.g. `11.0.0` for Asterisk 22. */
  onBanner(version: string): void;
  onMessage(message: AmiMessage): void;
  /** The stream cannot be read further. The parser ignores input from then on. */
  onProtocolError(error: AmiProtocolError): void;
}

const BANNER = /^Asterisk Call Manager(?: Proxy)?\/(\S+)/;
const MAX_BANNER_LENGTH = 1024;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const END_COMMAND = '--END COMMAND--';

enum Stage {
  Banner,
  Headers,
  /** Inside a legacy `Response: Follows` message, before its raw body starts. */
  FollowsHeaders,
  /** Raw Command output lines until `--END COMMAND--`. */
  FollowsBody,
  Failed,
}

/**
 * Turns the bytes of an AMI stream into messages, whatever the chunking. Never throws: a stream that
 * breaks the protocol or the limits is reported once through `onProtocolError`, then ignored.
 */
export class AmiFrameParser {
  private readonly decoder: StringDecoder;
  private readonly limits: FrameParserLimits;
  private stage = Stage.Banner;
  private pending = '';
  private message: AmiMessage | null = null;
  private frameSize = 0;
  private headerCount = 0;

  constructor(
    private readonly sink: FrameParserSink,
    encoding: AmiEncoding = 'utf8',
    limits: Partial<FrameParserLimits> = {},
  ) {
    this.decoder = new StringDecoder(encoding);
    this.limits = { ...DEFAULT_FRAME_LIMITS, ...limits };
  }

  push(chunk: Buffer): void {
    if (this.stage === Stage.Failed) return;
    const text = this.decoder.write(chunk);
    if (text.length === 0) return;
    this.pending = this.pending.length === 0 ? text : this.pending + text;
    // A chunk without a line end finishes no line: rescanning the whole pending text for every such
    // chunk made a long line arriving in small chunks quadratic (seconds of blocked event loop per MiB).
    if (text.indexOf('\n') === -1) return this.checkUnfinishedLine();
    this.readLines();
  }

  private readLines(): void {
    const text = this.pending;
    let lineStart = 0;
    for (;;) {
      const newline = text.indexOf('\n', lineStart);
      if (newline === -1) break;
      let lineEnd = newline;
      if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CARRIAGE_RETURN) lineEnd--;
      this.frameSize += newline + 1 - lineStart;
      if (this.frameSize > this.limits.maxFrameSize && this.stage !== Stage.Banner) {
        return this.fail(`a message is larger than ${this.limits.maxFrameSize} characters`);
      }
      this.readLine(text, lineStart, lineEnd);
      if (this.stage === Stage.Failed) return;
      lineStart = newline + 1;
    }
    this.pending = lineStart === 0 ? text : text.slice(lineStart);
    this.checkUnfinishedLine();
  }

  private readLine(text: string, start: number, end: number): void {
    switch (this.stage) {
      case Stage.Headers:
        return this.readHeaderLine(text, start, end);
      case Stage.FollowsHeaders:
        return this.readFollowsHeaderLine(text, start, end);
      case Stage.FollowsBody:
        return this.readFollowsBodyLine(text.slice(start, end));
      case Stage.Banner:
        return this.readBanner(text.slice(start, end));
    }
  }

  private readBanner(line: string): void {
    const match = BANNER.exec(line);
    if (!match)
      return this.fail(
        'not an AMI server: the first line is not an "Asterisk Call Manager/<version>" banner',
      );
    this.stage = Stage.Headers;
    this.frameSize = 0;
    this.sink.onBanner(match[1]);
  }

  private readHeaderLine(text: string, start: number, end: number): void {
    if (start === end) return this.endMessage();
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon >= end) {
      // Not a header. Kept under its own text so nothing the server said is dropped.
      this.addHeader(text.slice(start, end), '');
      return;
    }
    let valueStart = colon + 1;
    if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
    const name = text.slice(start, colon);
    const value = text.slice(valueStart, end);
    this.addHeader(name, value);
    // Only from Headers: a failed parser (the header above was one too many) must stay failed.
    if (
      this.stage === Stage.Headers &&
      name === 'Response' &&
      value === 'Follows' &&
      this.message?.Event === undefined
    ) {
      this.stage = Stage.FollowsHeaders;
    }
  }

  private readFollowsHeaderLine(text: string, start: number, end: number): void {
    const line = text.slice(start, end);
    if (line.startsWith('Privilege:') || line.startsWith('ActionID:') || line.startsWith('Message:')) {
      return this.readHeaderLine(text, start, end);
    }
    this.stage = Stage.FollowsBody;
    this.readFollowsBodyLine(line);
  }

  private readFollowsBodyLine(line: string): void {
    if (!line.endsWith(END_COMMAND)) {
      this.addHeader('Output', line);
      return;
    }
    // The marker follows the output directly, so it may share a line with the last output line.
    const lastLine = line.slice(0, -END_COMMAND.length);
    if (lastLine.length > 0) this.addHeader('Output', lastLine);
    if (this.stage === Stage.FollowsBody) this.stage = Stage.Headers;
  }

  private addHeader(name: string, value: string): void {
    if (++this.headerCount > this.limits.maxHeaders) {
      return this.fail(`a message has more than ${this.limits.maxHeaders} headers`);
    }
    if (this.message === null) this.message = createHeaderRecord();
    const message = this.message;
    const previous = message[name];
    if (previous === undefined) message[name] = value;
    else if (typeof previous === 'string') message[name] = [previous, value];
    else previous.push(value);
  }

  private endMessage(): void {
    const message = this.message;
    this.message = null;
    this.frameSize = 0;
    this.headerCount = 0;
    // Blank lines between messages (some versions sent `\r\n\n`) carry nothing.
    if (message !== null) this.sink.onMessage(message);
  }

  private checkUnfinishedLine(): void {
    if (this.stage === Stage.Banner) {
      if (this.pending.length > MAX_BANNER_LENGTH) this.fail('not an AMI server: no banner line');
      return;
    }
    if (this.frameSize + this.pending.length > this.limits.maxFrameSize) {
      this.fail(`a message is larger than ${this.limits.maxFrameSize} characters`);
    }
  }

  private fail(reason: string): void {
    this.stage = Stage.Failed;
    this.pending = '';
    this.message = null;
    this.sink.onProtocolError(new AmiProtocolError(reason));
  }
}
