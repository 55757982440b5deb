import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { redisTarget } from './redis-server.js';

const script = fileURLToPath(new URL('../../../scripts/redis.sh', import.meta.url));

/**
 * scripts/redis.sh without blocking this process' event loop (redisScript() blocks it): for tests whose
 * leadership and publisher run in the test process and must keep running while Redis restarts.
 */
export async function redisScriptInBackground(command: 'start' | 'stop' | 'restart'): Promise<void> {
  if (!redisTarget.managed) throw new Error(`REDIS_URL is set: the tests do not ${command} that Redis`);
  await promisify(execFile)('bash', [script, command], { timeout: 60_000 });
}
