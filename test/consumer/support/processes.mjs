// Child processes for the consumer check: bounded in time, output kept for the report on failure.
import { spawn } from 'node:child_process';

// npm passes its own settings to scripts as npm_* variables; npm_config_local_prefix would make an
// `npm install` in a throwaway app write into this repository. Only these are passed on.
const KEPT_NPM_SETTINGS =
  /^npm_config_(cache|registry|cafile|userconfig|globalconfig|noproxy|proxy|https_proxy|strict_ssl|prefer_offline|offline)$/i;

/** The environment for a child: this one without npm's script variables, plus `extra`. */
export function childEnvironment(extra = {}) {
  const environment = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_') || KEPT_NPM_SETTINGS.test(name)) environment[name] = value;
  }
  return { ...environment, ...extra };
}

export class CommandError extends Error {
  constructor(message, output) {
    super(`${message}\n--- output ---\n${output.trim()}\n--------------`);
    this.name = 'CommandError';
  }
}

/**
 * Starts a command and returns a handle: `exit` resolves with { code, signal } once it ends; after
 * `timeoutMs` it is killed (SIGKILL) and `timedOut` is set. stdout and stderr are kept, interleaved.
 */
export function start(command, args, { cwd, env = childEnvironment(), timeoutMs }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const handle = { child, output: '', timedOut: false, listeners: new Set() };
  const collect = (chunk) => {
    handle.output += chunk.toString();
    for (const listener of handle.listeners) listener(handle.output);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timer = setTimeout(() => {
    handle.timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  handle.exit = new Promise((resolve) => {
    child.on('error', (error) => {
      handle.output += `\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  return handle;
}

/** Runs a command to its end; rejects with its output unless it exits 0 within `timeoutMs`. */
export async function run(command, args, options) {
  const handle = start(command, args, options);
  const { code, signal } = await handle.exit;
  const shown = `${command} ${args.join(' ')}`;
  if (handle.timedOut)
    throw new CommandError(`${shown}: still running after ${options.timeoutMs} ms`, handle.output);
  if (code !== 0) throw new CommandError(`${shown}: exit ${code ?? signal}`, handle.output);
  return handle.output;
}

/** Resolves with the first match of `pattern` in the handle's output; rejects if it ends or `timeoutMs` passes. */
export function waitForOutput(handle, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const finish = (error, match) => {
      clearTimeout(timer);
      handle.listeners.delete(check);
      if (error) reject(error);
      else resolve(match);
    };
    const check = (output) => {
      const match = pattern.exec(output);
      if (match !== null) finish(null, match);
    };
    const timer = setTimeout(
      () => finish(new CommandError(`no ${pattern} in the output within ${timeoutMs} ms`, handle.output)),
      timeoutMs,
    );
    handle.listeners.add(check);
    handle.exit.then(() => {
      check(handle.output);
      finish(new CommandError(`the process ended without printing ${pattern}`, handle.output));
    });
    check(handle.output);
  });
}
