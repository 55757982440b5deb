import { AmiInvalidActionError } from '../errors/ami-errors.js';
import type { AmiAction } from '../protocol/action-serializer.js';
import { type AmiEvent, firstHeaderValue } from '../protocol/ami-message.js';
import { EVENT_NAME_RULE, isAmiEventName } from '../protocol/event-name-syntax.js';
import type { AmiEventTypes } from './ami-event-types.js';

/** The fields of a user event, as declared: each a header name and its (string) value. */
export type AmiUserEventFields = { [field: string]: string | undefined };

/**
 * One kind of UserEvent, declared once with `defineAmiUserEvent<Fields>(name)`: the name Asterisk
 * carries in the `UserEvent:` header, and the fields' types (a type only: nothing is checked on receipt).
 */
export interface AmiUserEventDefinition<F extends object = AmiUserEventFields> {
  readonly name: string;
  /** Never set: carries the fields' type. */
  readonly fields?: F;
}

/** A received UserEvent of that definition: Asterisk's UserEvent headers plus the declared fields. */
export type AmiUserEvent<F extends object = AmiUserEventFields> = AmiEventTypes['UserEvent'] & {
  UserEvent: string;
} & { [K in keyof F]: F[K] };

/** What sending one takes: the declared fields, numbers and booleans written as text. */
export type AmiUserEventInput<F extends object> = { [K in keyof F]: F[K] | number | boolean };

/**
 * Declares a UserEvent once: `const CallbackRequested = defineAmiUserEvent<{ Number: string; Queue?: string }>('CallbackRequested')`.
 * Send it with `client.userEvent(CallbackRequested, { Number: '100' })`, receive it typed with
 * `client.onUserEvent(CallbackRequested, ...)` or `@OnAmiUserEvent(CallbackRequested)`.
 * The name must be an AMI event name (letters, digits, `_`, `-`): else AmiInvalidActionError.
 */
export function defineAmiUserEvent<F extends object = AmiUserEventFields>(
  name: string,
): AmiUserEventDefinition<F> {
  if (!isAmiEventName(name)) {
    throw new AmiInvalidActionError(`a UserEvent name is ${EVENT_NAME_RULE}, not ${JSON.stringify(name)}`);
  }
  return Object.freeze({ name });
}

/** Whether an event is a UserEvent of that definition (names compared case-insensitively). */
export function isAmiUserEvent<F extends object>(
  event: AmiEvent,
  definition: AmiUserEventDefinition<F>,
): event is AmiUserEvent<F> {
  if (typeof event.Event !== 'string' || event.Event.toLowerCase() !== 'userevent') return false;
  return firstHeaderValue(event, 'UserEvent')?.toLowerCase() === definition.name.toLowerCase();
}

// The action's own headers, and the two keys the serializer gives a meaning to.
const RESERVED = new Set(['action', 'actionid', 'userevent', 'variables', 'extraheaders']);

/**
 * The `UserEvent` action sending one. A field that would replace the action's own headers is refused
 * here; CR, LF or NUL in a name or value by the serializer (AmiInvalidActionError), before anything is
 * written.
 */
export function userEventAction<F extends object>(
  definition: AmiUserEventDefinition<F>,
  fields: AmiUserEventInput<F>,
): AmiAction {
  if (!isAmiEventName(definition?.name)) {
    throw new AmiInvalidActionError('userEvent takes a definition made by defineAmiUserEvent(name)');
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new AmiInvalidActionError(`UserEvent ${definition.name}: the fields must be an object`);
  }
  const action: AmiAction = { Action: 'UserEvent', UserEvent: definition.name };
  for (const [field, value] of Object.entries(fields)) {
    if (RESERVED.has(field.toLowerCase())) {
      throw new AmiInvalidActionError(`UserEvent ${definition.name}: "${field}" cannot be a field`);
    }
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new AmiInvalidActionError(
        `UserEvent ${definition.name}: ${field} must be a string, number or boolean`,
      );
    }
    action[field] = value;
  }
  return action;
}
