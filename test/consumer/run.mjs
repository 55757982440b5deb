// npm run test:consumer: proves the package works for the people who install it and for those who
// clone it. Copies the working tree into a fresh clone (no dist/, no node_modules) and runs the README's
// `npm ci` there; `npx nestjs-ami` must then work. `npm pack` with no dist/ must build (prepack) and ship
// the files its source maps name. Two throwaway apps generated from templates/ (NestJS 11 CommonJS and
// NestJS 12 ESM) install that tarball, are type-checked with tsc and run against the real Asterisk:
// boot AmiModule.forRootAsync, receive a real Hangup in an @OnAmiEvent handler, send a Ping, close,
// reach the nestjs-ami/client and nestjs-ami/testing entry points, exit 0 on their own; a stack trace
// through the installed package names files that exist. Last, `npm start` in the clone, stopped by
// SIGTERM and then by SIGINT sent to npm: exit 0, Logoff, port freed. Nothing is left behind.
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asteriskTarget, ensureAsterisk } from './support/asterisk-target.mjs';
import { CONSUMER_APPS, compile, generate, install, runApp } from './support/consumer-apps.mjs';
import { cloneWorkingTree, npmCi } from './support/fresh-clone.mjs';
import { checkNpx, checkSourceMaps, checkStackTrace, packWithoutBuild } from './support/package-checks.mjs';
import { checkNpmStart } from './support/sample-app.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const timings = [];

async function step(name, action) {
  const started = Date.now();
  process.stdout.write(`- ${name}... `);
  try {
    const result = await action();
    const seconds = (Date.now() - started) / 1000;
    timings.push([name, seconds]);
    process.stdout.write(`ok (${seconds.toFixed(1)} s)\n`);
    return result;
  } catch (error) {
    process.stdout.write('FAILED\n');
    throw error;
  }
}

/** Generates, installs and compiles one app; the apps are prepared side by side. */
async function prepare(app, work) {
  const directory = await generate(app, work);
  await install(directory);
  await compile(directory);
  return directory;
}

async function main() {
  const started = Date.now();
  const target = asteriskTarget();
  console.log(`Consumer check against the Asterisk at ${target.host}:${target.port}`);
  await step(target.managed ? 'start the Asterisk rig' : 'use AMI_HOST', () => ensureAsterisk(target));
  const work = await mkdtemp(join(tmpdir(), 'nestjs-ami-consumer-'));
  const cleanUp = () => rm(work, { recursive: true, force: true });
  process.once('SIGINT', () => cleanUp().finally(() => process.exit(130)));
  try {
    const clone = await step('fresh clone of the working tree', () =>
      cloneWorkingTree(root, join(work, 'clone')),
    );
    await step('npm ci in the clone (prepare: build, link the command)', () => npmCi(clone));
    await step('npx nestjs-ami --help, npx nestjs-ami send Action=Ping', () => checkNpx(clone, target));
    const tarball = await step('npm pack with no dist/ (prepack builds)', () =>
      packWithoutBuild(clone, work),
    );
    await rename(tarball, join(work, 'nestjs-ami.tgz'));
    const checked = await step('source maps of the packed package resolve to shipped files', () =>
      checkSourceMaps(join(work, 'nestjs-ami.tgz'), work),
    );
    console.log(`  ${checked.maps} maps, ${checked.sources} sources`);
    const directories = await step(
      `generate, npm install and tsc: ${CONSUMER_APPS.map((app) => app.name).join(', ')}`,
      () => Promise.all(CONSUMER_APPS.map((app) => prepare(app, work))),
    );
    for (const [index, app] of CONSUMER_APPS.entries()) {
      await step(`run ${app.title}`, () => runApp(directories[index], target));
    }
    await step('a stack trace through the installed package names files that exist', () =>
      checkStackTrace(directories.at(-1)),
    );
    await step('npm start: POST /calls, call logged, SIGTERM to npm: exit 0, Logoff, port freed', () =>
      checkNpmStart(clone, target, { signal: 'SIGTERM', call: true }),
    );
    await step('npm start: SIGINT to npm: exit 0, Logoff, port freed', () =>
      checkNpmStart(clone, target, { signal: 'SIGINT' }),
    );
  } finally {
    await cleanUp();
  }
  console.log(`\nConsumer check passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [name, seconds] of timings) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${name}`);
}

main().catch((error) => {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
