import type { AmiAction } from '../protocol/action-serializer.js';
import { CliUsageError } from './usage-error.js';

/** Keys the client reads as options rather than headers. */
const RESERVED = new Set(['variables', 'extraHeaders']);

/**
 * An action from `Key=Value` arguments (split at the first `=`; a repeated key sends the header once
 * per value, in order). The action name is `Action=Name`, or a first argument without `=`.
 */
export function parseActionArguments(args: readonly string[]): AmiAction {
  let name: string | undefined;
  const headers = new Map<string, string[]>();
  args.forEach((arg, index) => {
    const equals = arg.indexOf('=');
    if (equals === -1) {
      if (index === 0 && arg !== '') {
        name = arg;
        return;
      }
      throw new CliUsageError(`"${arg}" is not Key=Value`);
    }
    const key = arg.slice(0, equals).trim();
    const value = arg.slice(equals + 1);
    if (key === '') throw new CliUsageError(`"${arg}" has no key before "="`);
    const lower = key.toLowerCase();
    if (lower === 'action') {
      if (name !== undefined) throw new CliUsageError('the action is named twice');
      if (value.trim() === '') throw new CliUsageError('Action= needs a name');
      name = value.trim();
      return;
    }
    if (lower === 'actionid') throw new CliUsageError('ActionID is set by nestjs-ami; leave it out');
    if (RESERVED.has(key)) {
      // Asterisk reads header names in any case: another spelling reaches it unchanged.
      const respelled = `${key.charAt(0).toUpperCase()}${key.slice(1)}`;
      throw new CliUsageError(`"${key}" is reserved by the client; write "${respelled}" instead`);
    }
    const values = headers.get(key);
    if (values === undefined) headers.set(key, [value]);
    else values.push(value);
  });
  if (name === undefined) throw new CliUsageError('no action: e.g. send Action=Ping');
  const action: AmiAction = { Action: name };
  for (const [key, values] of headers) action[key] = values.length === 1 ? (values[0] as string) : values;
  return action;
}
