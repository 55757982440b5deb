import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { itWithRig } from '../support/asterisk-target.js';

// lib/generated is committed; it must be what the generator writes from the rig's Asterisk 22 docs.

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const committedDir = join(root, 'lib/generated');

/** The first line where two texts differ, or null when they are equal. */
function firstDifference(committed: string, fresh: string): string | null {
  if (committed === fresh) return null;
  const a = committed.split('\n');
  const b = fresh.split('\n');
  const index = a.findIndex((line, i) => line !== b[i]);
  const at = index === -1 ? a.length : index;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])}`;
}

describe('generated action and event types', () => {
  itWithRig(
    "are not stale against the rig's Asterisk 22 documentation (else: npm run generate:types)",
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'ami-generated-'));
      try {
        const { stdout } = await run(
          process.execPath,
          [join(root, 'scripts/generate-ami-types.mjs'), '--out', out],
          {
            env: process.env,
            timeout: 60_000,
          },
        );
        expect(stdout).toMatch(/^\d+ actions, \d+ events/);
        const fresh = readdirSync(out).sort();
        expect(readdirSync(committedDir).sort()).toEqual(fresh);
        for (const name of fresh) {
          const difference = firstDifference(
            readFileSync(join(committedDir, name), 'utf8'),
            readFileSync(join(out, name), 'utf8'),
          );
          expect({ file: `lib/generated/${name}`, difference }).toEqual({
            file: `lib/generated/${name}`,
            difference: null,
          });
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
