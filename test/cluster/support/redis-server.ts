import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The Redis the cluster tests use: REDIS_URL, or the project's own on REDIS_PORT (scripts/redis.sh). */
export const redisTarget = {
  managed: process.env.REDIS_URL === undefined,
  url: process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? 6390}`,
};

const script = fileURLToPath(new URL('../../../scripts/redis.sh', import.meta.url));

/** Runs scripts/redis.sh (start, stop, restart); only on the project's own Redis. */
export function redisScript(command: 'start' | 'stop' | 'restart'): void {
  if (!redisTarget.managed) throw new Error(`REDIS_URL is set: the tests do not ${command} that Redis`);
  execFileSync('bash', [script, command], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 60_000 });
}
