// Cluster mode's tests need a real Redis (scripts/redis.sh, on REDIS_PORT) and the real Asterisk
// (the e2e setup). REDIS_URL names another Redis instead: then nothing is started here.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import startAsterisk from '../../e2e/support/global-setup.mjs';

export default function globalSetup() {
  startAsterisk();
  if (process.env.REDIS_URL !== undefined) return;
  const script = fileURLToPath(new URL('../../../scripts/redis.sh', import.meta.url));
  execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
}
