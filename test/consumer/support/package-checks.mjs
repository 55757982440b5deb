// What a fresh clone must give: `npx nestjs-ami` after `npm ci`, and an `npm pack` that builds the
// package itself (prepack) and ships the files its source maps name.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { amiEnvironment } from './asterisk-target.mjs';
import { CommandError, childEnvironment, run } from './processes.mjs';

/** `npx nestjs-ami` as the README gives it: --help, then one action against the target. */
export async function checkNpx(clone, target) {
  const help = await run('npx', ['--no-install', 'nestjs-ami', '--help'], { cwd: clone, timeoutMs: 60_000 });
  if (!/watch/.test(help) || !/send/.test(help)) throw new CommandError('npx nestjs-ami --help', help);
  const ping = await run('npx', ['--no-install', 'nestjs-ami', 'send', 'Action=Ping'], {
    cwd: clone,
    env: childEnvironment(amiEnvironment(target)),
    timeoutMs: 60_000,
  });
  if (!/^Ping: Pong$/m.test(ping)) throw new CommandError('npx nestjs-ami send Action=Ping', ping);
}

/** `npm pack` with no dist/ at all: the tarball must hold the build. Returns the tarball's path. */
export async function packWithoutBuild(clone, work) {
  await rm(join(clone, 'dist'), { recursive: true, force: true });
  const output = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: clone,
    timeoutMs: 300_000,
  });
  const [{ filename, files }] = JSON.parse(output.slice(output.indexOf('[')));
  const paths = new Set(files.map((file) => file.path));
  for (const needed of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/client.js']) {
    if (!paths.has(needed)) throw new CommandError(`the packed package lacks ${needed}`, output);
  }
  return join(work, filename);
}

async function* filesUnder(directory) {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/**
 * Unpacks the tarball and resolves every source of every source map in it: each must be a file the
 * package ships (or be inlined in `sourcesContent`). Returns how many maps and sources were checked.
 */
export async function checkSourceMaps(tarball, work) {
  const unpacked = join(work, 'unpacked');
  await mkdir(unpacked, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', unpacked], { timeoutMs: 60_000 });
  const missing = [];
  let maps = 0;
  let sources = 0;
  for await (const file of filesUnder(join(unpacked, 'package'))) {
    if (!file.endsWith('.map')) continue;
    maps += 1;
    const map = JSON.parse(await readFile(file, 'utf8'));
    for (const [index, source] of map.sources.entries()) {
      sources += 1;
      if (typeof map.sourcesContent?.[index] === 'string') continue;
      const path = resolve(dirname(file), map.sourceRoot ?? '', source);
      if (!existsSync(path)) missing.push(`${file.slice(unpacked.length + 1)} -> ${source}`);
    }
  }
  if (maps === 0) throw new Error('the packed package has no source maps');
  if (missing.length > 0) {
    throw new Error(
      `source maps name files the package does not ship:\n  ${missing.slice(0, 10).join('\n  ')}`,
    );
  }
  return { maps, sources };
}

/**
 * A stack trace through the installed package, with source maps on: every frame inside the package
 * must name a file that exists, so a reader (or an editor) can open it.
 */
export async function checkStackTrace(appDirectory) {
  const script = [
    "import { AmiClient } from 'nestjs-ami/client';",
    "try { new AmiClient({ host: 'pbx', port: 5038, username: 'u\\nAction: Originate', secret: 's' }); }",
    'catch (error) { console.log(error.stack); }',
  ].join('\n');
  const output = await run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    cwd: appDirectory,
    timeoutMs: 30_000,
  });
  const frames = [
    ...output.matchAll(/\(?((?:file:\/\/)?\/[^\s()]*node_modules\/nestjs-ami\/[^\s():]+):\d+:\d+\)?/g),
  ];
  const inPackage = frames.map((match) => match[1].replace(/^file:\/\//, ''));
  if (!inPackage.some((path) => path.endsWith('.ts'))) {
    throw new CommandError('no frame of the package mapped to its TypeScript source', output);
  }
  const absent = inPackage.filter((path) => !existsSync(path));
  if (absent.length > 0) throw new CommandError(`frames name missing files: ${absent.join(', ')}`, output);
  return inPackage.length;
}
