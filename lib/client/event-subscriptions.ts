import type { AmiEvent } from '../protocol/ami-message.js';
import { EventNameIndex } from '../protocol/event-name-index.js';
import type { AmiEventContext, AmiEventListener } from './ami-client.types.js';
import type { IsolatedListeners } from './isolated-listeners.js';

type EventArgs = [AmiEvent, AmiEventContext];

const failed = ([event]: EventArgs): string => `event listener failed on ${event.Event}`;

/**
 * The client's one way to listen to AMI events: listeners by event name, matched case-insensitively,
 * and `'*'` for all. A listener that throws or rejects is reported and never stops the others or the
 * reading of the socket.
 */
export class EventSubscriptions {
  private readonly index = new EventNameIndex<AmiEventListener>();

  constructor(private readonly listeners: IsolatedListeners) {}

  add(name: string, listener: AmiEventListener): () => void {
    return this.index.add(name, listener);
  }

  get size(): number {
    return this.index.size;
  }

  deliver(event: AmiEvent, context: AmiEventContext): void {
    if (this.index.isEmpty) return;
    const args: EventArgs = [event, context];
    const named = this.index.named(event.Event);
    if (named.length > 0) this.listeners.callEach(named, undefined, args, failed);
    const all = this.index.all;
    if (all.length > 0) this.listeners.callEach(all, undefined, args, failed);
  }
}
