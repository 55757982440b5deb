import fc from 'fast-check';

// Characters that mean something to AMI framing or to Asterisk's argument splitting come up often;
// any other code point (multi-byte ones included) now and then.
const character = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(':', ' ', '\t', ',', '"', '\\', '(', ')', '=', '-', '\0', '\r', '\n'),
  },
  { weight: 5, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/**
 * Text that fits on one AMI line: no CR or LF (nor NUL unless `nul`), and valid UTF-16, so that it
 * survives the trip through UTF-8 bytes.
 */
export function lineText(maxLength: number, { nul = true } = {}): fc.Arbitrary<string> {
  const forbidden = nul ? /[\r\n]/g : /[\r\n\0]/g;
  return fc
    .string({ unit: character, maxLength })
    .map((text) => text.replace(forbidden, ''))
    .filter((text) => Buffer.from(text, 'utf8').toString('utf8') === text);
}
