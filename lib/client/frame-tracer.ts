import type { AmiLogSink } from './ami-logger.js';
import { redactHeaders } from './redaction.js';

/** The `traceFrames` debug lines: each frame sent (`->`) and received (`<-`), its secrets redacted. */
export class FrameTracer {
  constructor(
    private readonly logger: AmiLogSink,
    private readonly sensitiveHeaders: ReadonlySet<string>,
  ) {}

  trace(direction: '->' | '<-', headers: Readonly<Record<string, unknown>>): void {
    this.logger.debug(`AMI ${direction} ${JSON.stringify(redactHeaders(headers, this.sensitiveHeaders))}`);
  }
}
