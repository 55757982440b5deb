import { isAscii } from 'node:buffer';
import { AmiProtocolError } from '../errors/ami-errors.js';
import type { AmiMessage } from './ami-message.js';
import { buildGeneric, HeaderShapes, type ShapeNode } from './header-shapes.js';

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
/**
 * The unfinished line's first buffer; one larger than `KEPT_LINE_BUFFER` (or than a line may be) is dropped
 * once its line ends.
 */
const MIN_LINE_BUFFER = 256;
const KEPT_LINE_BUFFER = 64 * 1024;
const NO_BYTES = Buffer.alloc(0);
const CARRIAGE_RETURN = 13;
const NEWLINE = 10;
/**
 * Bytes decoded at a time (cut at a line end). A value is a slice of its segment's text, so a value the
 * application keeps holds that text alive: segments stay small.
 */
const SEGMENT = 4096;
const SPACE = 32;
const END_COMMAND = '--END COMMAND--';
const NON_ASCII = /[\u0080-\uffff]/g;
/** Bytes checked at a time for non-ASCII ones before the text is searched. */
const ASCII_BLOCK = 2048;

/**
 * Where the first character above U+007F is at or after `from`, or the text's length. `bytes` are the
 * text's bytes (one per character): blocks of them are checked natively, and only a block that holds a
 * non-ASCII byte is searched in the text.
 */
function nextNonAscii(text: string, bytes: Buffer, from: number): number {
  for (let start = from; start < bytes.length; start += ASCII_BLOCK) {
    if (isAscii(bytes.subarray(start, start + ASCII_BLOCK))) continue;
    NON_ASCII.lastIndex = start;
    const found = NON_ASCII.exec(text);
    return found === null ? text.length : found.index;
  }
  return text.length;
}

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
  private readonly encoding: AmiEncoding;
  private readonly limits: FrameParserLimits;
  private stage = Stage.Banner;
  /**
   * The bytes of the unfinished last line (a character split between chunks stays whole there), at the
   * start of one buffer that grows by doubling: a line trickled in tiny chunks costs its bytes, not an
   * object per chunk.
   */
  private unfinished = NO_BYTES;
  private unfinishedLength = 0;
  private frameSize = 0;
  /** The message being read: its headers so far, in order, and its place in the trie of shapes. */
  private readonly shapes = new HeaderShapes();
  private shape: ShapeNode | null = this.shapes.root;
  private names: string[] = [];
  private values: string[] = [];
  private count = 0;
  private sawEvent = false;

  constructor(
    private readonly sink: FrameParserSink,
    encoding: AmiEncoding = 'utf8',
    limits: Partial<FrameParserLimits> = {},
  ) {
    this.encoding = encoding;
    this.limits = { ...DEFAULT_FRAME_LIMITS, ...limits };
  }

  /** Reads `chunk`. Nothing of its memory is kept once this returns: the caller may reuse it. */
  push(chunk: Buffer): void {
    if (this.stage === Stage.Failed) return;
    if (chunk.length === 0) return;
    // Only whole lines are decoded: a line end never falls inside a UTF-8 character, and the text read
    // is one flat string (joining texts instead made every later access go through a rope).
    let from = 0;
    if (this.unfinishedLength > 0) {
      const firstNewline = chunk.indexOf(NEWLINE);
      if (firstNewline === -1) return this.keepUnfinished(chunk);
      // Only the line the chunk completes is joined to what came before: the rest is read in place.
      this.append(chunk.subarray(0, firstNewline + 1));
      const line = this.unfinished.subarray(0, this.unfinishedLength);
      this.unfinishedLength = 0;
      this.decodeLines(line);
      if (this.unfinished.length > Math.min(KEPT_LINE_BUFFER, this.lineLimit())) this.unfinished = NO_BYTES;
      from = firstNewline + 1;
    }
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline >= from) this.decodeLines(chunk.subarray(from, lastNewline + 1));
    const rest = chunk.subarray(Math.max(from, lastNewline + 1));
    if (rest.length > 0 && (this.stage as Stage) !== Stage.Failed) this.keepUnfinished(rest);
  }

  /** Memory the parser holds for the unfinished line, in bytes (its buffer's size, not just its use). */
  get bytesHeld(): number {
    return this.unfinished.length;
  }

  /** Header lines of the message being read. */
  get headersHeld(): number {
    return this.count;
  }

  /**
   * A parser of text that holds whole messages and no banner, fed with readMessages(): the frames a
   * cluster leader writes to its stream (lib/cluster/stream-entry.ts), read with the shapes it learns.
   */
  static forMessages(sink: FrameParserSink, limits: Partial<FrameParserLimits> = {}): AmiFrameParser {
    const parser = new AmiFrameParser(sink, 'utf8', limits);
    parser.stage = Stage.Headers;
    return parser;
  }

  /**
   * Reads the messages of `text`, already decoded. False when it broke the protocol or the limits, left a
   * message unfinished or held no message but headers: this parser is then of no further use.
   */
  readMessages(text: string): boolean {
    if (this.stage !== Stage.Headers) return false;
    this.readLines(text, null, false);
    return (this.stage as Stage) === Stage.Headers && this.count === 0 && text.endsWith('\n');
  }

  /** Copies `bytes` (the caller may reuse their memory) after the unfinished line, unless too long. */
  private keepUnfinished(bytes: Buffer): void {
    if (this.checkUnfinishedLine(bytes.length)) this.append(bytes);
  }

  /** The most an unfinished line may hold, in any stage. */
  private lineLimit(): number {
    return Math.max(this.limits.maxFrameSize, MAX_BANNER_LENGTH);
  }

  private append(bytes: Buffer): void {
    const length = this.unfinishedLength + bytes.length;
    if (length > this.unfinished.length) {
      // Doubling, but never past what the line may still take (the last chunk may add its line end).
      const grown = Buffer.allocUnsafeSlow(
        Math.max(length, Math.min(2 * this.unfinished.length, this.lineLimit()), MIN_LINE_BUFFER),
      );
      this.unfinished.copy(grown, 0, 0, this.unfinishedLength);
      this.unfinished = grown;
    }
    bytes.copy(this.unfinished, this.unfinishedLength);
    this.unfinishedLength = length;
  }

  /**
   * Text is read as Latin-1, which V8 stores one byte per character and decodes ten times faster than
   * UTF-8. The lines of a segment that hold non-ASCII bytes (names, mostly) are read again as UTF-8,
   * one at a time, so that only they become two-byte strings.
   */
  private decodeLines(bytes: Buffer): void {
    if (this.encoding !== 'utf8') return this.readLines(bytes.toString(this.encoding), null, false);
    let start = 0;
    while (start < bytes.length && this.stage !== Stage.Failed) {
      let end = bytes.length;
      if (end - start > 2 * SEGMENT) {
        const cut = bytes.indexOf(NEWLINE, start + SEGMENT);
        if (cut !== -1) end = cut + 1;
      }
      const segment = bytes.subarray(start, end);
      this.readLines(segment.toString('latin1'), segment, !isAscii(segment));
      start = end;
    }
  }

  /**
   * Reads the lines of `text`. `bytes`, when given, are its UTF-8 bytes read as Latin-1, so a character's
   * offset is its byte's; when `nonAscii`, the lines holding non-ASCII bytes are read again as UTF-8.
   */
  private readLines(text: string, bytes: Buffer | null, nonAscii: boolean): void {
    const view = bytes === null ? null : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let nonAsciiAt = nonAscii ? nextNonAscii(text, bytes as Buffer, 0) : text.length;
    let lineStart = 0;
    for (;;) {
      const newline = text.indexOf('\n', lineStart);
      if (newline === -1) break;
      if (nonAsciiAt < newline) {
        // Latin-1 offsets are byte offsets: the line's bytes are found at the same place.
        this.readLines((bytes as Buffer).toString('utf8', lineStart, newline + 1), null, false);
        if (this.stage === Stage.Failed) return;
        lineStart = newline + 1;
        nonAsciiAt = nextNonAscii(text, bytes as Buffer, lineStart);
        continue;
      }
      let lineEnd = newline;
      if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CARRIAGE_RETURN) lineEnd--;
      this.frameSize += newline + 1 - lineStart;
      if (this.frameSize > this.limits.maxFrameSize && this.stage !== Stage.Banner) {
        return this.fail(`a message is larger than ${this.limits.maxFrameSize} characters`);
      }
      if (this.stage === Stage.Headers) this.readHeaderLine(text, lineStart, lineEnd, view);
      else this.readOtherLine(text, lineStart, lineEnd);
      if (this.stage === Stage.Failed) return;
      lineStart = newline + 1;
    }
  }

  private readOtherLine(text: string, start: number, end: number): void {
    switch (this.stage) {
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

  private readHeaderLine(text: string, start: number, end: number, view: DataView | null): void {
    if (start === end) return this.endMessage();
    const shape = this.shape;
    if (shape !== null) {
      // The common case: a header this sequence of names had before, recognized by its `Name:` in place
      // (compared as bytes where there are bytes: much faster than startsWith).
      const known =
        view === null
          ? this.shapes.match(shape, text, start)
          : this.shapes.matchBytes(shape, view, start, end);
      if (known !== null) {
        this.shape = known;
        let valueStart = start + known.prefix.length;
        if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
        const value =
          view === null ? text.slice(valueStart, end) : known.valueAt(text, view, valueStart, end);
        return this.addNamedHeader(known.name, value);
      }
    }
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon >= end) {
      // Not a header. Kept under its own text so nothing the server said is dropped.
      this.shape = null;
      this.addHeader(text.slice(start, end), '');
      return;
    }
    let valueStart = colon + 1;
    if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
    const value = text.slice(valueStart, end);
    let name = text.slice(start, colon);
    if (shape !== null) {
      const next = this.shapes.add(shape, name);
      if (next !== null) name = next.name;
      this.shape = next;
    }
    this.addNamedHeader(name, value);
  }

  private addNamedHeader(name: string, value: string): void {
    this.addHeader(name, value);
    if (name === 'Event') this.sawEvent = true;
    // Only from Headers: a failed parser (the header above was one too many) must stay failed.
    if (this.stage === Stage.Headers && name === 'Response' && value === 'Follows' && !this.sawEvent) {
      this.stage = Stage.FollowsHeaders;
    }
  }

  private readFollowsHeaderLine(text: string, start: number, end: number): void {
    const line = text.slice(start, end);
    if (line.startsWith('Privilege:') || line.startsWith('ActionID:') || line.startsWith('Message:')) {
      return this.readHeaderLine(text, start, end, null);
    }
    this.stage = Stage.FollowsBody;
    this.readFollowsBodyLine(line);
  }

  private readFollowsBodyLine(line: string): void {
    this.shape = null;
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
    const index = this.count;
    if (index >= this.limits.maxHeaders) {
      return this.fail(`a message has more than ${this.limits.maxHeaders} headers`);
    }
    this.names[index] = name;
    this.values[index] = value;
    this.count = index + 1;
  }

  private endMessage(): void {
    const count = this.count;
    this.frameSize = 0;
    // Blank lines between messages (some versions sent `\r\n\n`) carry nothing.
    if (count === 0) return;
    const shape = this.shape;
    const Record = shape === null ? null : this.shapes.recordFor(shape, this.names);
    const message = Record === null ? buildGeneric(this.names, this.values, count) : new Record(this.values);
    this.resetMessage();
    this.sink.onMessage(message);
  }

  /** Forgets the message being read; no value stays referenced (a big Command output drops its arrays). */
  private resetMessage(): void {
    if (this.count > 256) {
      this.names = [];
      this.values = [];
    } else {
      this.values.fill('', 0, this.count);
    }
    this.count = 0;
    this.shape = this.shapes.root;
    this.sawEvent = false;
  }

  /** Whether the unfinished line may grow by `more` bytes; fails the stream when not. */
  private checkUnfinishedLine(more: number): boolean {
    if (this.stage === Stage.Failed) return false;
    const length = this.unfinishedLength + more;
    if (this.stage === Stage.Banner) {
      if (length <= MAX_BANNER_LENGTH) return true;
      this.fail('not an AMI server: no banner line');
      return false;
    }
    if (this.frameSize + length <= this.limits.maxFrameSize) return true;
    this.fail(`a message is larger than ${this.limits.maxFrameSize} characters`);
    return false;
  }

  private fail(reason: string): void {
    this.stage = Stage.Failed;
    this.unfinished = NO_BYTES;
    this.unfinishedLength = 0;
    this.resetMessage();
    this.sink.onProtocolError(new AmiProtocolError(reason));
  }
}
