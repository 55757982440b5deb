#!/usr/bin/env node
// `npx nestjs-ami ...`: see `nestjs-ami --help` and lib/cli/help.ts.
import { readFileSync } from 'node:fs';
import { errorLine } from './exit-codes.js';
import { processIo } from './process-io.js';
import { runCli, secretsIn } from './run.js';

function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return String(manifest.version);
  } catch {
    return 'unknown';
  }
}

const argv = process.argv.slice(2);

// A bug still ends in one line, never a stack trace with who knows what in it.
const crash = (error: unknown) => {
  process.stderr.write(`${errorLine(error, secretsIn(argv, process))} (internal error)\n`);
  process.exit(1);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

runCli(argv, processIo(), packageVersion()).then((code) => {
  process.exitCode = code;
});
