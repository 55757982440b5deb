import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiEventByName, AmiEventName } from './ami-event-types.js';

/** Narrows an event (e.g. one received by a `'*'` listener) to the type of the event named `name`. */
export function isEventNamed<N extends AmiEventName>(event: AmiEvent, name: N): event is AmiEventByName<N> {
  return event.Event === name;
}
