/** Letters, digits, `_` and `-`, 1 to 64 of them: what Asterisk's event names (and a sane UserEvent's) are. */
const EVENT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const EVENT_NAME_RULE = '1 to 64 letters, digits, "_" or "-"';

export function isAmiEventName(name: unknown): name is string {
  return typeof name === 'string' && EVENT_NAME.test(name);
}
