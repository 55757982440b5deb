import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A consumer name unique per process and per consumer: two replicas on one host differ by pid, two
 * consumers in one process (or a pid reused after a restart) by the random part.
 */
export function uniqueConsumerName(host = hostname(), pid = process.pid): string {
  const safeHost = host.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'host';
  return `${safeHost}:${pid}:${randomBytes(6).toString('hex')}`;
}
