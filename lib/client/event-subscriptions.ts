import type { AmiEvent } from '../protocol/ami-message.js';
import { EventNameIndex } from '../protocol/event-name-index.js';
import type { AmiEventContext, AmiEventListener } from './ami-client.types.js';

/**
 * Listeners by event name, matched case-insensitively, and `'*'` for all. A listener that throws or
 * rejects is reported and never stops the others or the reading of the socket.
 */
export class EventSubscriptions {
  private readonly index = new EventNameIndex<AmiEventListener>();

  constructor(private readonly onListenerError: (error: unknown, event: AmiEvent) => void) {}

  add(name: string, listener: AmiEventListener): () => void {
    return this.index.add(name, listener);
  }

  get size(): number {
    return this.index.size;
  }

  deliver(event: AmiEvent, context: AmiEventContext): void {
    if (this.index.isEmpty) return;
    const named = this.index.named(event.Event);
    if (named.length > 0) this.call(named, event, context);
    const all = this.index.all;
    if (all.length > 0) this.call(all, event, context);
  }

  private call(listeners: readonly AmiEventListener[], event: AmiEvent, context: AmiEventContext): void {
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
