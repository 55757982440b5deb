import {
  type AmiEncoding,
  AmiFrameParser,
  type AmiMessage,
  type AmiProtocolError,
  type FrameParserLimits,
} from '../../../lib/client.js';

/** Everything a parser reported, in plain objects, for `toEqual`. */
export interface ParseResult {
  banners: string[];
  messages: Record<string, string | string[]>[];
  errors: AmiProtocolError[];
}

export function newParser(encoding: AmiEncoding = 'utf8', limits: Partial<FrameParserLimits> = {}) {
  const result: ParseResult = { banners: [], messages: [], errors: [] };
  const parser = new AmiFrameParser(
    {
      onBanner: (version) => result.banners.push(version),
      onMessage: (message) => result.messages.push(plain(message)),
      onProtocolError: (error) => result.errors.push(error),
    },
    encoding,
    limits,
  );
  return { parser, result };
}

/** Feeds `chunks` in order to a fresh parser. */
export function parseChunks(
  chunks: readonly Buffer[],
  encoding: AmiEncoding = 'utf8',
  limits: Partial<FrameParserLimits> = {},
): ParseResult {
  const { parser, result } = newParser(encoding, limits);
  for (const chunk of chunks) parser.push(chunk);
  return result;
}

export function parseText(text: string, limits: Partial<FrameParserLimits> = {}): ParseResult {
  return parseChunks([Buffer.from(text, 'utf8')], 'utf8', limits);
}

export const BANNER = 'Asterisk Call Manager/11.0.0\r\n';

function plain(message: AmiMessage): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const name in message) {
    const value = message[name];
    if (value === undefined) continue;
    // defineProperty: a header named `__proto__` must stay a header here too.
    Object.defineProperty(copy, name, {
      value: typeof value === 'string' ? value : [...value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
