import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The ```ts blocks of README.md and docs/*.md are type-checked by `npm run lint` through their copies in
// test/types/docs/; this keeps the copies equal to the docs, so an edited snippet cannot skip the check.

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const extractor = join(root, 'scripts/extract-doc-snippets.mjs');

describe('the type-checked copies of the docs code blocks', () => {
  it('are those of the current README.md and docs/', async () => {
    await expect(run(process.execPath, [extractor, '--check'])).resolves.toBeDefined();
  });

  it('are reported stale, by name, when a block changed and was not copied again', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'doc-snippets-'));
    try {
      mkdirSync(join(repo, 'docs'));
      writeFileSync(join(repo, 'README.md'), '# x\n\n```ts\nconst a = 1;\n```\n');
      writeFileSync(join(repo, 'docs/guide.md'), '```bash\nnpm test\n```\n\n```ts\nconst b = 2;\n```\n');
      await run(process.execPath, [extractor, '--root', repo]);
      await expect(run(process.execPath, [extractor, '--check', '--root', repo])).resolves.toBeDefined();

      writeFileSync(join(repo, 'docs/guide.md'), '```ts\nconst b = 3;\n```\n');
      await expect(run(process.execPath, [extractor, '--check', '--root', repo])).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('(docs-guide-1.ts)'),
      });
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
