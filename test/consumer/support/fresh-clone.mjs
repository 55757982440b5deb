// A fresh clone of this repository as a developer gets it: the files git tracks (and new ones it does
// not ignore), copied from the working tree so the check covers what is being changed; no dist/, no
// node_modules. `npm ci` there runs the `prepare` script, as it does for a developer after cloning.
import { execFileSync } from 'node:child_process';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { childEnvironment, run } from './processes.mjs';

export async function cloneWorkingTree(root, destination) {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    // A worktree may hold node_modules as a symlink, which git's `node_modules/` rule does not ignore.
    .filter((file) => file !== '' && file !== 'node_modules');
  for (const file of files) {
    await mkdir(dirname(join(destination, file)), { recursive: true });
    await cp(join(root, file), join(destination, file), { force: true, errorOnExist: false }).catch(
      (error) => {
        // A tracked file deleted in the working tree is not part of it.
        if (error.code !== 'ENOENT') throw error;
      },
    );
  }
  return destination;
}

/** The README's first command in a clone: installs, and `prepare` builds and links the command. */
export function npmCi(clone) {
  return run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: clone,
    env: childEnvironment(),
    timeoutMs: 600_000,
  });
}
