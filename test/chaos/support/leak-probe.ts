import type { AmiClient } from '../../../lib/client.js';
import { sleep } from './chaos-client.js';

/** What a client and the process hold: listeners, pending actions, and active handles by type. */
export interface ResourceSnapshot {
  listeners: Record<string, number>;
  pendingActions: number;
  resources: Record<string, number>;
}

export function snapshot(client: AmiClient): ResourceSnapshot {
  const listeners: Record<string, number> = {};
  for (const name of client.eventNames()) listeners[String(name)] = client.listenerCount(name);
  const resources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
  return { listeners, pendingActions: client.pendingActionCount, resources };
}

/** What `current` holds beyond `baseline`, one line per excess (empty: no leak). */
export function excess(baseline: ResourceSnapshot, current: ResourceSnapshot): string[] {
  const found: string[] = [];
  for (const [name, count] of Object.entries(current.listeners)) {
    const before = baseline.listeners[name] ?? 0;
    if (count > before) found.push(`${name} listeners: ${before} -> ${count}`);
  }
  if (current.pendingActions > 0) found.push(`pending actions: ${current.pendingActions}`);
  for (const [type, count] of Object.entries(current.resources)) {
    const before = baseline.resources[type] ?? 0;
    if (count > before) found.push(`${type}: ${before} -> ${count}`);
  }
  return found;
}

/**
 * Waits (bounded) for the client and process to come back to the baseline: sockets close and pings
 * settle asynchronously. Returns what is still in excess at the deadline.
 */
export async function leaksAfterSettling(
  client: AmiClient,
  baseline: ResourceSnapshot,
  timeoutMs = 5_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = excess(baseline, snapshot(client));
    if (found.length === 0 || Date.now() > deadline) return found;
    await sleep(50);
  }
}
