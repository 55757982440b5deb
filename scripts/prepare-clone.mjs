// npm's `prepare` step, run by `npm ci` / `npm install` in a clone of this repository (and for a git
// dependency): builds dist/ and links the `nestjs-ami` command into node_modules/.bin, where `npx`
// looks for it. npm never links a project's own bin, so without this `npx nestjs-ami` finds nothing in
// a clone. Under `npm pack` / `npm publish` the `prepack` script has just built: nothing to do.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

if (process.env.npm_command !== 'pack' && process.env.npm_command !== 'publish') {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const cli = join(root, 'dist/cli/main.js');
  chmodSync(cli, 0o755);
  const bin = join(root, 'node_modules/.bin');
  mkdirSync(bin, { recursive: true });
  const link = join(bin, 'nestjs-ami');
  rmSync(link, { force: true });
  symlinkSync(relative(bin, cli), link);
}
