import { StringDecoder } from 'node:string_decoder';
import { AmiAgiProtocolError } from './agi-errors.js';

/** Limits on what a FastAGI peer may send: past one, the connection is closed with AmiAgiProtocolError. */
export interface FastAgiLimits {
  /** Longest line, in characters (default 8192). */
  maxLineLength: number;
  /** Most `agi_*` lines in the environment (default 256). */
  maxEnvironmentLines: number;
  /** Most lines of one multi-line (520) answer (default 64). */
  maxReplyLines: number;
}

export const DEFAULT_FAST_AGI_LIMITS: FastAgiLimits = {
  maxLineLength: 8192,
  maxEnvironmentLines: 256,
  maxReplyLines: 64,
};

/**
 * Splits a FastAGI byte stream into lines with bounded memory: a line longer than the limit is an error,
 * not a growing buffer. UTF-8 characters split across TCP chunks are decoded whole.
 */
export class FastAgiLineReader {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly limits: FastAgiLimits,
    private readonly onLine: (line: string) => void,
  ) {}

  /** Feeds a chunk; throws AmiAgiProtocolError when a line is too long. */
  push(chunk: Buffer): void {
    let text = this.partial + this.decoder.write(chunk);
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const line = text.slice(0, newline);
      text = text.slice(newline + 1);
      this.checkLength(line.length);
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      newline = text.indexOf('\n');
    }
    this.checkLength(text.length);
    this.partial = text;
  }

  private checkLength(length: number): void {
    if (length > this.limits.maxLineLength)
      throw new AmiAgiProtocolError(`FastAGI line longer than ${this.limits.maxLineLength} characters`);
  }
}
