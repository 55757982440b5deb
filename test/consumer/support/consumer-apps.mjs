// The throwaway apps: generated from templates/, the packed nestjs-ami installed, compiled, run.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { amiEnvironment } from './asterisk-target.mjs';
import { CommandError, childEnvironment, run, start } from './processes.mjs';

const templates = fileURLToPath(new URL('../templates/', import.meta.url));

export const CONSUMER_APPS = [
  { name: 'nest11-cjs', title: 'NestJS 11, CommonJS (module commonjs, TypeScript 5.9)' },
  { name: 'nest12-esm', title: 'NestJS 12, ESM (module nodenext, TypeScript 7)' },
];

/** How long a consumer app may take from start to its own exit. */
const RUN_BOUND_MS = 60_000;

/** Copies the template and the shared sources into `work/<name>`: the app's directory. */
export async function generate(app, work) {
  const directory = join(work, app.name);
  await cp(join(templates, app.name), directory, { recursive: true });
  await cp(join(templates, 'app-src'), join(directory, 'src'), { recursive: true });
  return directory;
}

/** npm install: the registry for Nest and TypeScript, `../nestjs-ami.tgz` for the package under test. */
export function install(directory) {
  return run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: directory,
    timeoutMs: 300_000,
  });
}

/** tsc with the app's own settings (skipLibCheck off: nestjs-ami's .d.ts files are checked). */
export function compile(directory) {
  return run(join(directory, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], {
    cwd: directory,
    timeoutMs: 180_000,
  });
}

/**
 * Runs the app against the target: it must print the Hangup it received (cause 16), the Ping's answer,
 * its close and a Ping through `nestjs-ami/client` to `nestjs-ami/testing`'s fake server, then exit with
 * code 0 on its own within the bound.
 */
export async function runApp(directory, target) {
  const handle = start(process.execPath, ['dist/main.js'], {
    cwd: directory,
    env: childEnvironment({ ...amiEnvironment(target), NO_COLOR: '1' }),
    timeoutMs: RUN_BOUND_MS,
  });
  const { code, signal } = await handle.exit;
  if (handle.timedOut) {
    throw new CommandError(`did not exit on its own within ${RUN_BOUND_MS} ms`, handle.output);
  }
  if (code !== 0) throw new CommandError(`exited with ${code ?? signal}`, handle.output);
  const expected = [
    /^consumer: Hangup Local\/100@test-[0-9a-f]+;[12] cause 16 Normal Clearing$/m,
    /^consumer: Ping Success Pong$/m,
    /^consumer: closed, connected=false$/m,
    /^consumer: entries: nestjs-ami\/client Ping Success from nestjs-ami\/testing$/m,
  ];
  const missing = expected.filter((pattern) => !pattern.test(handle.output));
  if (missing.length > 0) throw new CommandError(`output lacks ${missing.join(', ')}`, handle.output);
  return handle.output;
}
