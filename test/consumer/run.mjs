// npm run test:consumer: proves the package works for the people who install it. Builds and packs
// nestjs-ami, generates two throwaway apps from templates/ in a temporary directory (NestJS 11 CommonJS
// and NestJS 12 ESM), installs the tarball in each, type-checks each with tsc, and runs each against
// the real Asterisk: boot AmiModule.forRootAsync, receive a real Hangup in an @OnAmiEvent handler, send
// a Ping, close, exit 0 on its own. Then runs the sample app as `npm start` does. Nothing is left behind.
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asteriskTarget, ensureAsterisk } from './support/asterisk-target.mjs';
import { CONSUMER_APPS, compile, generate, install, runApp } from './support/consumer-apps.mjs';
import { run } from './support/processes.mjs';
import { buildSample, checkSample } from './support/sample-app.mjs';

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

/** npm pack into `work`, renamed to the name the templates depend on (file:../nestjs-ami.tgz). */
async function pack(work) {
  const output = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: root,
    timeoutMs: 120_000,
  });
  const [{ filename }] = JSON.parse(output.slice(output.indexOf('[')));
  await rename(join(work, filename), join(work, 'nestjs-ami.tgz'));
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
  await step('npm run build', () => run('npm', ['run', 'build'], { cwd: root, timeoutMs: 300_000 }));
  const work = await mkdtemp(join(tmpdir(), 'nestjs-ami-consumer-'));
  const cleanUp = () => rm(work, { recursive: true, force: true });
  process.once('SIGINT', () => cleanUp().finally(() => process.exit(130)));
  try {
    await step('npm pack', () => pack(work));
    const directories = await step(
      `generate, npm install and tsc: ${CONSUMER_APPS.map((app) => app.name).join(', ')}`,
      () => Promise.all(CONSUMER_APPS.map((app) => prepare(app, work))),
    );
    for (const [index, app] of CONSUMER_APPS.entries()) {
      await step(`run ${app.title}`, () => runApp(directories[index], target));
    }
  } finally {
    await cleanUp();
  }
  await step('build the sample against the built package', () => buildSample(root));
  await step('run the sample: POST /calls, call logged, SIGTERM', () => checkSample(root, target));
  console.log(`\nConsumer check passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [name, seconds] of timings) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${name}`);
}

main().catch((error) => {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
