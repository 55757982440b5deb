import { AmiAgiInvalidCommandError } from './agi-errors.js';

/** One argument of an AGI command; numbers and booleans are written as text, undefined is left out. */
export type AgiArgument = string | number | undefined;

const FORBIDDEN = /[\r\n\0]/;
const COMMAND_NAME = /^[A-Za-z][A-Za-z ]*[A-Za-z]$/;

/**
 * Quotes one argument for Asterisk's AGI argument splitter: inside double quotes, whitespace is kept and a
 * backslash escapes the next character, so `"` and `\` are escaped and nothing can end the quoted value.
 */
export function quoteAgiArgument(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/**
 * Builds the line for one AGI command (without its line end). A CR, LF or NUL anywhere would end the
 * command early and let the rest be read as a second one: refused with AmiAgiInvalidCommandError before
 * anything is written. Undefined arguments are dropped only at the end (positions matter in AGI).
 */
export function formatAgiCommand(name: string, args: readonly AgiArgument[] = []): string {
  if (!COMMAND_NAME.test(name))
    throw new AmiAgiInvalidCommandError(`invalid AGI command name ${JSON.stringify(name)}`, name);
  let last = args.length;
  while (last > 0 && args[last - 1] === undefined) last--;
  const parts = [name.toUpperCase()];
  for (let index = 0; index < last; index++) {
    const value = String(args[index] ?? '');
    if (FORBIDDEN.test(value))
      throw new AmiAgiInvalidCommandError(
        `argument ${index + 1} of ${name.toUpperCase()} contains CR, LF or NUL: refused so that it cannot start a second command`,
        name.toUpperCase(),
      );
    parts.push(quoteAgiArgument(value));
  }
  return parts.join(' ');
}
