import { CliUsageError } from './usage-error.js';

/** Letters, digits, `_`, `-`, `.` (event names such as `AOC-D`) and the wildcards `*` and `?`. */
const PATTERN = /^[A-Za-z0-9_.*?-]+$/;

/**
 * Splits pattern arguments (each may hold several, comma separated) into single patterns.
 * Rejects what could never match an event name, e.g. `Cause=16`, instead of matching nothing silently.
 */
export function splitPatterns(args: readonly string[], what = 'event pattern'): string[] {
  const patterns: string[] = [];
  for (const arg of args) {
    for (const part of arg.split(',')) {
      const pattern = part.trim();
      if (pattern === '') continue;
      if (!PATTERN.test(pattern)) {
        throw new CliUsageError(
          `${what} "${pattern}" is not an event name pattern (letters, digits, - _ . and the wildcards * ?)`,
        );
      }
      patterns.push(pattern);
    }
  }
  return patterns;
}

function toRegExp(pattern: string): RegExp {
  const source = pattern.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^(?:${source})$`, 'i');
}

/**
 * Whether an event name is shown: it matches one of `include` (or `include` is empty) and none of
 * `exclude`. Case-insensitive; `*` stands for any run of characters, `?` for one.
 */
export function eventNameFilter(
  include: readonly string[],
  exclude: readonly string[] = [],
): (eventName: string) => boolean {
  const included = include.map(toRegExp);
  const excluded = exclude.map(toRegExp);
  return (eventName) =>
    (included.length === 0 || included.some((pattern) => pattern.test(eventName))) &&
    !excluded.some((pattern) => pattern.test(eventName));
}
