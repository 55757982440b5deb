/** One answer of Asterisk to an AGI command: `200 result=1 (timeout) endpos=1234`, or `510 ...`. */
export interface AgiReply {
  /** 200 on success; 510 unknown command, 511 dead channel, 520 usage error. */
  code: number;
  /** The `result=` value as text ('' when absent). */
  result: string;
  /** The parenthesized data after the result (`(timeout)`, a variable's value), when present. */
  data?: string;
  /** The `endpos=` offset of stream and record commands, when present. */
  endpos?: number;
  /** The whole answer as Asterisk sent it (all lines of a 520 usage text). */
  text: string;
}

const REPLY = /^(\d{3})(?:[ -](.*))?$/;

/** Whether a line starts a multi-line `520-` usage answer, which ends at a line `520 ...`. */
export function startsMultiLineReply(line: string): boolean {
  return /^\d{3}-/.test(line);
}

/** Parses a reply line (or the joined lines of a multi-line one); undefined when it is no AGI reply. */
export function parseAgiReply(text: string): AgiReply | undefined {
  const firstLine = text.split('\n', 1)[0] ?? '';
  const match = REPLY.exec(firstLine);
  if (match === null) return undefined;
  const code = Number(match[1]);
  const rest = match[2] ?? '';
  const reply: AgiReply = { code, result: '', text };
  const result = /^result=(\S*)/.exec(rest);
  if (result === null) return reply;
  reply.result = result[1] ?? '';
  let tail = rest.slice(result[0].length).trimStart();
  if (tail.startsWith('(')) {
    // The data may itself contain parentheses (a variable's value): it runs to the last `)` before endpos.
    const end = tail.search(/\)(?:\s+endpos=\d+)?\s*$/);
    if (end > 0) {
      reply.data = tail.slice(1, end);
      tail = tail.slice(end + 1).trimStart();
    }
  }
  const endpos = /(?:^|\s)endpos=(-?\d+)/.exec(tail);
  if (endpos !== null) reply.endpos = Number(endpos[1]);
  return reply;
}
