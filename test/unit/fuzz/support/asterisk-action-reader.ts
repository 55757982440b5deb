/**
 * Reads an action frame the way Asterisk 22's manager does, for the serializer's round trip:
 * lines up to the first empty one; a header is split at its first colon and the characters below 33
 * after the colon are skipped (ast_skip_blanks); `Variable:` headers are then split like application
 * arguments (commas outside quotes and parentheses, quotes dropped, a backslash keeps the next character).
 * test/chaos/variables.chaos-spec.ts checks the variables part of this model against the real Asterisk.
 */
export interface ReadAction {
  headers: [name: string, value: string][];
  variables: [name: string, value: string][];
}

export function readActionAsAsterisk(frame: string): ReadAction {
  if (!frame.endsWith('\r\n\r\n')) throw new Error('the frame does not end with an empty line');
  const lines = frame.slice(0, -4).split('\r\n');
  const headers: [string, string][] = [];
  const variables: [string, string][] = [];
  for (const line of lines) {
    if (line === '') throw new Error('an empty line inside the frame would end the action early');
    if (/[\r\n]/.test(line)) throw new Error('a bare CR or LF inside a line');
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`not a header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, colon);
    const value = skipBlanks(line.slice(colon + 1));
    headers.push([name, value]);
    if (name.toLowerCase() === 'variable') {
      for (const argument of separateArguments(value)) {
        const equals = argument.indexOf('=');
        if (equals <= 0) continue;
        variables.push([argument.slice(0, equals), argument.slice(equals + 1)]);
      }
    }
  }
  return { headers, variables };
}

function skipBlanks(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) < 33) start++;
  return text.slice(start);
}

function separateArguments(text: string): string[] {
  const found: string[] = [];
  let current = '';
  let parentheses = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === '\\') {
      index++;
      if (index < text.length) current += text[index];
    } else if (character === '"') {
      quoted = !quoted;
    } else if (character === ',' && parentheses === 0 && !quoted) {
      found.push(current);
      current = '';
    } else {
      if (character === '(') parentheses++;
      else if (character === ')' && parentheses > 0) parentheses--;
      current += character;
    }
  }
  found.push(current);
  return found;
}
