import fc from 'fast-check';
import { lineText } from './text-arbitraries.js';

/** A message as the test expects the parser to give it: each header with its value or values, in order. */
export type ExpectedMessage = [name: string, value: string | string[]][];

export interface GeneratedStream {
  bytes: Buffer;
  messages: ExpectedMessage[];
}

export const BANNER = 'Asterisk Call Manager/11.0.0\r\n';
const END_COMMAND = '--END COMMAND--';

const lineEnd = fc.constantFrom('\r\n', '\n');

// Names Asterisk uses, names that would break a plain object, and any other token.
const headerName = fc.oneof(
  fc.constantFrom(
    'Event',
    'ActionID',
    'Response',
    'Output',
    'Variable',
    'ChanVariable',
    'Message',
    'Uniqueid',
  ),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/),
);

// Any text but a line end (colons, leading spaces, NUL and multi-byte characters included).
const anyLineText = lineText(40);

const header = fc
  .record({ name: headerName, value: anyLineText, compact: fc.boolean(), end: lineEnd })
  // `Response: Follows` starts a legacy Command body: generated on its own below.
  .filter(({ name, value }) => !(name === 'Response' && value === 'Follows'));

const headerMessage = fc
  .record({ headers: fc.array(header, { minLength: 1, maxLength: 8 }), end: lineEnd })
  .map(({ headers, end }) => {
    let text = '';
    const expected: ExpectedMessage = [];
    for (const { name, value, compact, end: eol } of headers) {
      // `Key:value` is legal; without the space a value's own leading space must survive.
      const separator = compact && !value.startsWith(' ') ? ':' : ': ';
      text += `${name}${separator}${value}${eol}`;
      addExpected(expected, name, value);
    }
    return { text: text + end, expected };
  });

const bodyLine = anyLineText.filter((line) => !line.endsWith(END_COMMAND));
const followsHeaderLike = /^(Privilege|ActionID|Message):/;

// Asterisk up to 13: `Response: Follows`, raw output lines, then `--END COMMAND--` (maybe glued to the last line).
const legacyCommandMessage = fc
  .record({
    actionId: fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }),
    lines: fc.array(bodyLine, { maxLength: 6 }),
    glued: fc.boolean(),
    end: lineEnd,
  })
  .filter(({ lines }) => lines.length === 0 || !followsHeaderLike.test(lines[0]))
  .map(({ actionId, lines, glued, end }) => {
    const expected: ExpectedMessage = [
      ['Response', 'Follows'],
      ['Privilege', 'Command'],
    ];
    let text = 'Response: Follows\r\nPrivilege: Command\r\n';
    if (actionId !== undefined) {
      text += `ActionID: ${actionId}\r\n`;
      expected.push(['ActionID', actionId]);
    }
    const glue = glued && lines.length > 0 && lines[lines.length - 1] !== '';
    const ownLines = glue ? lines.slice(0, -1) : lines;
    for (const line of ownLines) text += `${line}\n`;
    text += glue ? `${lines[lines.length - 1]}${END_COMMAND}\r\n` : `${END_COMMAND}\r\n`;
    for (const line of lines) addExpected(expected, 'Output', line);
    return { text: text + end, expected };
  });

// Stray blank lines between messages (`\r\n\n` from some versions) carry nothing.
const strayBlankLines = fc.array(lineEnd, { maxLength: 2 }).map((ends) => ends.join(''));

/** A valid AMI stream: the banner, then messages of every shape, as bytes with the messages expected. */
export const amiStream: fc.Arbitrary<GeneratedStream> = fc
  .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: headerMessage }, legacyCommandMessage), strayBlankLines), {
    maxLength: 12,
  })
  .map((parts) => ({
    bytes: Buffer.from(BANNER + parts.map(([message, blanks]) => message.text + blanks).join(''), 'utf8'),
    messages: parts.map(([message]) => message.expected),
  }));

/** Cuts a buffer at arbitrary byte offsets, splitting multi-byte characters and line ends alike. */
export function chunked(bytes: Buffer): fc.Arbitrary<Buffer[]> {
  if (bytes.length < 2) return fc.constant([bytes]);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: Math.min(64, bytes.length - 1) })
    .map((cuts) => {
      const sorted = [...cuts].sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let start = 0;
      for (const cut of [...sorted, bytes.length]) {
        chunks.push(bytes.subarray(start, cut));
        start = cut;
      }
      return chunks;
    });
}

// Pieces that steer random bytes into the parser's interesting states.
const hostileFragment = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc
    .constantFrom(
      '\r\n',
      '\n',
      '\r',
      ':',
      ': ',
      'Event: Hangup\r\n',
      'Response: Follows\r\n',
      'Response: Success\r\n',
      'Privilege: Command\r\n',
      END_COMMAND,
      '__proto__: x\r\n',
      BANNER,
    )
    .map((text) => Buffer.from(text, 'utf8')),
  // Truncated multi-byte sequences and invalid UTF-8.
  fc.constantFrom(
    Buffer.from([0xe2, 0x82]),
    Buffer.from([0xf0, 0x9f, 0x98]),
    Buffer.from([0xff, 0xc0, 0x80]),
  ),
  // Long runs without a line end: what must trip the frame cap.
  fc.integer({ min: 1, max: 4096 }).map((length) => Buffer.alloc(length, 0x61)),
);

/** Arbitrary bytes, with or without a banner first, biased towards AMI syntax. */
export const hostileStream: fc.Arbitrary<Buffer> = fc
  .record({ banner: fc.boolean(), fragments: fc.array(hostileFragment, { maxLength: 40 }) })
  .map(({ banner, fragments }) => Buffer.concat([Buffer.from(banner ? BANNER : ''), ...fragments]));

/** Named by their first value; every value also under `'<Name>:all'` once repeated. */
const IDENTITY_HEADERS = new Set(['Event', 'Response', 'ActionID']);

function addExpected(message: ExpectedMessage, name: string, value: string): void {
  const previous = message.find(([existing]) => existing === name);
  if (previous === undefined) message.push([name, value]);
  else if (IDENTITY_HEADERS.has(name)) {
    const all = message.find(([existing]) => existing === `${name}:all`);
    if (all === undefined) message.push([`${name}:all`, [previous[1] as string, value]]);
    else (all[1] as string[]).push(value);
  } else if (typeof previous[1] === 'string') previous[1] = [previous[1], value];
  else previous[1].push(value);
}
