// Text from the network (caller names, channel variables) may hold ANSI escapes, bidi overrides or
// line breaks; none of them reaches the terminal or breaks the one-line-per-event format.
const UNPRINTABLE = /\p{C}/gu;
const UNPRINTABLE_BUT_TAB = /(?!\t)\p{C}/gu;
/** What can be printed without quotes in a `Key=value` token. */
const BARE = /^[^\s"=\\\p{C}]+$/u;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  let escaped = '';
  for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}

/** Control and format characters written as `\n`, `\u001b`...; everything else unchanged. */
export function escapeUnprintable(text: string, keepTabs = false): string {
  return text.replace(keepTabs ? UNPRINTABLE_BUT_TAB : UNPRINTABLE, escapeCharacter);
}

/** The value as is when it is one plain word; otherwise in double quotes, with `"` and `\` escaped. */
export function quoteIfNeeded(value: string): string {
  if (BARE.test(value)) return value;
  return `"${escapeUnprintable(value.replace(/["\\]/g, '\\$&'))}"`;
}
