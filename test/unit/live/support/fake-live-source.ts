import type { AmiClient, AmiEvent, AmiEventList, AmiLiveSource } from '../../../../lib/client.js';

/**
 * A live source the test drives: it emits events by hand and answers each list action when the test
 * says so (so events can arrive while a resync waits for its lists).
 */
export class FakeLiveSource implements AmiLiveSource {
  private readonly listeners = new Map<string, Set<(event: AmiEvent) => void>>();
  private readonly resyncListeners = new Set<() => void>();
  readonly requests: Array<{
    action: string;
    answer: (events: AmiEvent[]) => void;
    fail: (error: Error) => void;
  }> = [];
  connected = true;

  readonly events = {
    onEvent: (name: string, listener: (event: AmiEvent) => void): (() => void) => {
      const key = name.toLowerCase();
      const set = this.listeners.get(key) ?? new Set();
      this.listeners.set(key, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };

  readonly actions = {
    get isConnected() {
      return true;
    },
    sendList: (action: { Action: string }) =>
      new Promise<AmiEventList>((resolve, reject) => {
        this.requests.push({
          action: action.Action,
          answer: (events) => resolve({ response: { Response: 'Success' }, events }),
          fail: reject,
        });
      }),
  } as unknown as AmiClient;

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  emit(event: AmiEvent): void {
    for (const listener of this.listeners.get(event.Event.toLowerCase()) ?? []) listener(event);
    for (const listener of this.listeners.get('*') ?? []) listener(event);
  }

  login(): void {
    for (const listener of this.resyncListeners) listener();
  }

  /** Subscriptions still held, for the stop() test. */
  get subscriptionCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count + this.resyncListeners.size;
  }

  /** Answers the pending list requests with these lists (CoreShowChannels, BridgeList, QueueStatus). */
  async answerLists(lists: { channels: AmiEvent[]; bridges: AmiEvent[]; queues: AmiEvent[] }): Promise<void> {
    await waitUntil(() => this.requests.length >= 3);
    for (const request of this.requests.splice(0)) {
      if (request.action === 'CoreShowChannels') request.answer(lists.channels);
      else if (request.action === 'BridgeList') request.answer(lists.bridges);
      else request.answer(lists.queues);
    }
  }
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn += 1) await Promise.resolve();
  if (!condition()) throw new Error('the list actions were not sent');
}
