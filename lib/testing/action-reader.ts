import { StringDecoder } from 'node:string_decoder';
import { type AmiMessage, createHeaderRecord } from '../protocol/ami-message.js';

/** Asterisk's own limits on what a client sends (manager.c). */
export const MAX_LINE_LENGTH = 1024;
export const MAX_HEADERS = 128;

export type ActionSink = (headers: AmiMessage, problem: string | undefined) => void;

/**
 * The server side of the framing: client bytes to header records, one per blank-line-terminated
 * frame. Accepts `\r\n` and bare `\n`, as Asterisk does, and applies Asterisk's limits: a frame
 * breaking them is still delivered, with the error Asterisk would answer.
 */
export class ActionReader {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private headers: AmiMessage | null = null;
  private headerCount = 0;
  private problem: string | undefined;
  /** The rest of an over-long line is still to come and is dropped. */
  private skippingLine = false;

  constructor(private readonly sink: ActionSink) {}

  push(chunk: Buffer): void {
    const text = this.pending + this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.readLine(text.slice(start, end));
      start = newline + 1;
    }
    this.pending = text.slice(start);
    if (this.pending.length > MAX_LINE_LENGTH) {
      this.problem ??= 'Failed to parse message: line too long';
      this.pending = '';
      this.skippingLine = true;
    }
  }

  private readLine(line: string): void {
    if (this.skippingLine) {
      this.skippingLine = false;
      return;
    }
    if (line.length === 0) return this.endFrame();
    if (line.length > MAX_LINE_LENGTH) {
      this.problem ??= 'Failed to parse message: line too long';
      return;
    }
    if (++this.headerCount > MAX_HEADERS) {
      this.problem ??= 'Too many lines in message';
      return;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).trimStart();
    this.headers ??= createHeaderRecord();
    const previous = this.headers[name];
    if (previous === undefined) this.headers[name] = value;
    else if (typeof previous === 'string') this.headers[name] = [previous, value];
    else previous.push(value);
  }

  private endFrame(): void {
    const headers = this.headers;
    const problem = this.problem;
    this.headers = null;
    this.headerCount = 0;
    this.problem = undefined;
    if (headers !== null || problem !== undefined) this.sink(headers ?? createHeaderRecord(), problem);
  }
}
