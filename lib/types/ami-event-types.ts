import type { AmiEventMap } from '../generated/ami-events.generated.js';
import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiUndocumentedEventMap, AmiUndocumentedFields } from './undocumented-events.js';

/** Every typed event by name: the documented ones (completed where the wire differs) and a few more. */
export type AmiEventTypes = {
  [N in keyof AmiEventMap]: N extends keyof AmiUndocumentedFields
    ? AmiEventMap[N] & AmiUndocumentedFields[N]
    : AmiEventMap[N];
} & AmiUndocumentedEventMap;

/** A typed event name, in Asterisk's spelling ('Hangup', 'DialBegin', 'OriginateResponse'...). */
export type AmiEventName = keyof AmiEventTypes;

/** An event name as a parameter: a typed one (offered by completion) or any other string. */
export type AmiEventNameInput = AmiEventName | (string & {});

/**
 * The type of the event named `N`; any other name (a module's event, a newer Asterisk's, another
 * spelling, `'*'`) gives the loose `AmiEvent`, whose headers are all `string | string[] | undefined`.
 */
export type AmiEventByName<N extends string> = string extends N
  ? AmiEvent
  : N extends AmiEventName
    ? AmiEventTypes[N]
    : AmiEvent;

/** Any typed event. Narrow it by its `Event` field, or with `isEventNamed`. */
export type AmiKnownEvent = AmiEventTypes[AmiEventName];
