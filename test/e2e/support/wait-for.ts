import type { AmiClient, AmiEvent } from '../../../lib/client.js';

/** Resolves with the first event named `name` that satisfies `predicate`; rejects after `timeoutMs`. */
export function nextEvent(
  client: AmiClient,
  name: string,
  predicate: (event: AmiEvent) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<AmiEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no ${name} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = client.onEvent(name, (event) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

/** Resolves the next time `client` emits the lifecycle event `name`. */
export function nextLifecycle(
  client: AmiClient,
  name: 'login' | 'disconnect' | 'reconnecting',
  timeoutMs = 30_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    client.once(name, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
