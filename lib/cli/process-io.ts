import { readFileSync } from 'node:fs';
import type { CliIo } from './cli-io.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The real process: stdout, stderr, environment, signals. */
export function processIo(): CliIo {
  const stopHandlers = new Set<() => void>();
  const stop = () => {
    for (const handler of stopHandlers) handler();
  };
  let stdoutClosed = false;
  // `nestjs-ami watch | head`: the reader went away (EPIPE); stop like on Ctrl-C instead of crashing.
  process.stdout.on('error', () => {
    stdoutClosed = true;
    stop();
  });
  return {
    env: process.env,
    out(text) {
      if (!stdoutClosed) process.stdout.write(`${text}\n`);
    },
    err(text) {
      process.stderr.write(`${text}\n`);
    },
    onStop(handler) {
      if (stopHandlers.size === 0) for (const signal of STOP_SIGNALS) process.on(signal, stop);
      stopHandlers.add(handler);
      return () => {
        stopHandlers.delete(handler);
        if (stopHandlers.size === 0) for (const signal of STOP_SIGNALS) process.off(signal, stop);
      };
    },
    readFile: (path) => readFileSync(path),
  };
}
