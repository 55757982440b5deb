import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type { AmiLogger } from '../../../lib/client.js';

/**
 * Logging for every client of the e2e run: all levels, frame tracing on, each line kept in the run's log
 * directory so that global teardown can prove no secret reached a log line (test/e2e/support/global-teardown.mjs).
 */
export function auditedLogging(): { logger: AmiLogger; traceFrames: true } {
  return { logger: auditedLogger, traceFrames: true };
}

const directory = process.env.AMI_E2E_LOG_DIR;
const file = directory === undefined ? undefined : join(directory, `${process.pid}.log`);

function record(level: string) {
  return (message: unknown, ...rest: unknown[]) => {
    if (file !== undefined) appendFileSync(file, `${level} ${format(message, ...rest)}\n`);
  };
}

const auditedLogger: AmiLogger = {
  log: record('log'),
  error: record('error'),
  warn: record('warn'),
  debug: record('debug'),
  verbose: record('verbose'),
};
