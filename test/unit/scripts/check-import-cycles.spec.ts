import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';

// scripts/check-import-cycles.mjs runs in `npm run lint`: it must pass on lib/ and fail, naming the
// circle, on a source tree whose files or top-level folders import each other.

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const checker = join(root, 'scripts/check-import-cycles.mjs');

/** Writes files (path -> content) into a fresh folder and returns it. */
function sourceTree(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}

async function check(files: Record<string, string>) {
  const folder = sourceTree(files);
  try {
    return await run(process.execPath, [checker, '--root', folder]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// Each case starts a Node process that loads TypeScript's parser: seconds of wall time on a loaded machine.
jest.setTimeout(60_000);

describe('the import cycle check', () => {
  it('passes on lib/', async () => {
    const { stdout } = await run(process.execPath, [checker]);
    expect(stdout).toContain('No import cycles in');
  });

  it('passes on layers that only import downwards, entry files in the root above them', async () => {
    const { stdout } = await check({
      'index.ts': "export * from './client/index.js';\nexport * from './actions/index.js';\n",
      'client/index.ts': "export { send } from './send.js';\n",
      'client/send.ts':
        "import type { Frame } from '../protocol/frame.js';\nexport const send = (f: Frame) => f;\n",
      'actions/index.ts':
        "import type { send } from '../client/send.js';\nexport type Sender = typeof send;\n",
      'protocol/frame.ts': "// import { send } from '../client/send.js';\nexport type Frame = string;\n",
    });
    expect(stdout).toContain('No import cycles');
  });

  it('fails on two files that import each other, even for types only', async () => {
    const failure = check({
      'protocol/a.ts': "import type { B } from './b.js';\nexport type A = B[];\n",
      'protocol/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n",
    });
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('file cycle: protocol/a.ts -> protocol/b.ts -> protocol/a.ts'),
    });
  });

  it('fails on folders that import each other though no file does, naming the imports', async () => {
    const failure = check({
      'client/index.ts':
        "export * from '../actions/index.js';\nexport type { Options } from './options.js';\n",
      'client/options.ts': 'export interface Options { timeout?: number }\n',
      'actions/index.ts':
        "import type { Options } from '../client/options.js';\nexport const hangup = (o?: Options) => o;\n",
    });
    await expect(failure).rejects.toMatchObject({ code: 1 });
    const { stderr } = await failure.catch((error: { stderr: string }) => error);
    expect(stderr).toContain('folder cycle: actions -> client -> actions');
    expect(stderr).toContain('actions/index.ts -> client/options.ts');
    expect(stderr).toContain('client/index.ts -> actions/index.ts');
    expect(stderr).not.toContain('file cycle:');
  });
});
