import { closeSync, openSync, writeSync } from 'node:fs';
import { CliUsageError } from './usage-error.js';

/**
 * The `--out` file. Each line is written with a synchronous system call before the next event is
 * handled: whatever was received is on disk even if the process is interrupted the next moment.
 */
export class EventFile {
  private constructor(private fd: number | null) {}

  /** Opens (creating if needed) in append mode: an earlier recording is kept. */
  static open(path: string): EventFile {
    try {
      return new EventFile(openSync(path, 'a'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliUsageError(`cannot open --out file "${path}"${code ? ` (${code})` : ''}`);
    }
  }

  append(line: string): void {
    if (this.fd === null) return;
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
