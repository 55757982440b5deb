import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiEventContext, AmiEventListener } from './ami-client.types.js';
import { EventNameCase } from './event-name-case.js';

const ALL = '*';

/**
 * Listeners by event name, matched case-insensitively. A listener that throws or rejects is reported
 * and never stops the others or the reading of the socket.
 */
export class EventSubscriptions {
  private readonly byName = new Map<string, Set<AmiEventListener>>();
  private readonly names = new EventNameCase();

  constructor(private readonly onListenerError: (error: unknown, event: AmiEvent) => void) {}

  add(name: string, listener: AmiEventListener): () => void {
    const key = name.toLowerCase();
    let listeners = this.byName.get(key);
    if (listeners === undefined) {
      listeners = new Set();
      this.byName.set(key, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.byName.get(key) === listeners) this.byName.delete(key);
    };
  }

  get size(): number {
    let count = 0;
    for (const listeners of this.byName.values()) count += listeners.size;
    return count;
  }

  deliver(event: AmiEvent, context: AmiEventContext): void {
    if (this.byName.size === 0) return;
    const named = this.byName.get(this.names.lower(event.Event));
    if (named !== undefined) this.call(named, event, context);
    const all = this.byName.get(ALL);
    if (all !== undefined) this.call(all, event, context);
  }

  private call(listeners: Set<AmiEventListener>, event: AmiEvent, context: AmiEventContext): void {
    for (const listener of listeners) {
      try {
        const result = listener(event, context);
        if (result instanceof Promise) result.catch((error: unknown) => this.onListenerError(error, event));
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
