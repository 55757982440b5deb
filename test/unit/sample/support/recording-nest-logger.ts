import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps every line (with its context) for assertions and prints nothing. */
export class RecordingNestLogger implements LoggerService {
  readonly lines: Array<{ level: string; context: string; message: string }> = [];

  log(message: unknown, context?: string): void {
    this.record('log', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.record('error', message, rest.at(-1));
  }
  warn(message: unknown, context?: string): void {
    this.record('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.record('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.record('verbose', message, context);
  }

  /** The messages logged under that context (CallLog, AmiTarget...). */
  messages(context: string): string[] {
    return this.lines.filter((line) => line.context === context).map((line) => line.message);
  }

  private record(level: string, message: unknown, context: unknown): void {
    this.lines.push({ level, context: typeof context === 'string' ? context : '', message: String(message) });
  }
}
