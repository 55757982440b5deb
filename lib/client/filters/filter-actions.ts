import type { AmiAction } from '../../protocol/action-serializer.js';
import { EVENT_NAME_RULE, isAmiEventName } from '../../protocol/event-name-syntax.js';
import { AmiInvalidEventFilterError } from './filter-errors.js';

/** The characters a POSIX extended regex (Asterisk's Filter) gives a meaning to. */
const REGEX_SPECIAL = /[\\.^$|?*+()[\]{}]/g;

export function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/**
 * The Filter that lets through the events carrying one of a client's ActionIDs (its OriginateResponse,
 * its list items). Cluster mode's action session is filtered on it alone; an event filter adds it so
 * the client's own originates still settle. Do not change this form: a malformed Filter crashed
 * Asterisk 22.10.1.
 */
export function actionIdFilter(stem: string): AmiAction {
  return { Action: 'Filter', Operation: 'Add', Filter: `ActionID: ${escapeRegex(stem)}` };
}

/** Refuses anything but an AMI event name, naming what was given (a name is never a secret). */
export function checkEventName(name: unknown, what = 'an event filter'): string {
  if (!isAmiEventName(name)) {
    throw new AmiInvalidEventFilterError(
      `${what} takes AMI event names (${EVENT_NAME_RULE}), not ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/** `Newchannel` as `[Nn][Ee]...`: the client matches event names case-insensitively, so must Asterisk. */
function anyCase(name: string): string {
  return name.replace(/[A-Za-z]/g, (letter) => `[${letter.toUpperCase()}${letter.toLowerCase()}]`);
}

/**
 * The Filter that lets through the events of that name: the event text starts with `Event: <name>`,
 * followed by the line end (so `Hangup` does not let `HangupRequest` through, and a UserEvent whose
 * `UserEvent:` header says `Hangup` is not a Hangup). Tried by hand on Asterisk 22.10.1 before use.
 * `name` must have passed checkEventName: nothing else ever reaches this regex.
 */
export function eventNameFilter(name: string): AmiAction {
  return {
    Action: 'Filter',
    Operation: 'Add',
    Filter: `^Event: ${anyCase(checkEventName(name))}[[:space:]]`,
  };
}
