import fc from 'fast-check';
import { AmiProtocolError } from '../../../lib/errors/ami-errors.js';
import type { AmiMessage } from '../../../lib/protocol/ami-message.js';
import { AmiFrameParser, type FrameParserLimits } from '../../../lib/protocol/frame-parser.js';
import { amiStream, chunked, hostileStream } from './support/ami-stream-arbitraries.js';
import { FuzzTally } from './support/fuzz-settings.js';

const tally = new FuzzTally('frame parser');
afterAll(() => tally.report());

// The parser's banner stage keeps at most this much before deciding the peer is not AMI.
const BANNER_LIMIT = 1024;

interface Recorded {
  banners: string[];
  messages: AmiMessage[];
  errors: unknown[];
}

function recordingParser(limits: Partial<FrameParserLimits> = {}): { parser: AmiFrameParser; out: Recorded } {
  const out: Recorded = { banners: [], messages: [], errors: [] };
  const parser = new AmiFrameParser(
    {
      onBanner: (version) => out.banners.push(version),
      onMessage: (message) => out.messages.push(message),
      onProtocolError: (error) => out.errors.push(error),
    },
    'utf8',
    limits,
  );
  return { parser, out };
}

/** A hostile stream with a line of up to 6,000 bytes somewhere in it: longer than most caps drawn below. */
const hostileStreamWithLongLine = fc
  .tuple(hostileStream, fc.nat({ max: 6000 }), fc.nat())
  .map(([bytes, length, at]) => {
    const cut = at % (bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, cut), Buffer.alloc(length, 0x78), bytes.subarray(cut)]);
  });

/** What the parser holds between chunks: its unfinished line's buffer, and the message's header lines. */
function held(parser: AmiFrameParser): { bytes: number; headers: number } {
  return { bytes: parser.bytesHeld, headers: parser.headersHeld };
}

describe('frame parser, property-based', () => {
  it('gives the same messages for every chunking of a valid stream', async () => {
    await tally.check(
      'any chunking of a valid stream',
      fc.property(
        amiStream.chain((stream) => fc.tuple(fc.constant(stream), chunked(stream.bytes))),
        ([stream, chunks]) => {
          const { parser, out } = recordingParser();
          for (const chunk of chunks) parser.push(chunk);
          expect(out.errors).toEqual([]);
          expect(out.banners).toEqual(['11.0.0']);
          expect(out.messages.map((message) => Object.entries(message))).toEqual(stream.messages);
        },
      ),
    );
  });

  it('never throws on arbitrary bytes, reports at most one protocol error, then stays silent', async () => {
    await tally.check(
      'arbitrary bytes never throw',
      fc.property(
        hostileStream.chain((bytes) => fc.tuple(fc.constant(bytes), chunked(bytes))),
        ([, chunks]) => {
          const { parser, out } = recordingParser({ maxFrameSize: 512, maxHeaders: 16 });
          let messagesAtError = -1;
          for (const chunk of chunks) {
            expect(() => parser.push(chunk)).not.toThrow();
            if (out.errors.length > 0 && messagesAtError === -1) messagesAtError = out.messages.length;
          }
          expect(out.errors.length).toBeLessThanOrEqual(1);
          for (const error of out.errors) expect(error).toBeInstanceOf(AmiProtocolError);
          if (messagesAtError !== -1) expect(out.messages).toHaveLength(messagesAtError);
          expect(out.banners.length).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('never holds more than the frame cap plus one chunk, whatever arrives', async () => {
    await tally.check(
      'memory bounded by the frame cap',
      fc.property(
        fc.record({
          maxFrameSize: fc.integer({ min: 16, max: 4096 }),
          maxHeaders: fc.integer({ min: 1, max: 64 }),
        }),
        hostileStreamWithLongLine.chain((bytes) => fc.tuple(fc.constant(bytes), chunked(bytes))),
        (limits, [, chunks]) => {
          const { parser } = recordingParser(limits);
          const cap = Math.max(limits.maxFrameSize, BANNER_LIMIT);
          for (const chunk of chunks) {
            parser.push(chunk);
            const now = held(parser);
            expect(now.bytes).toBeLessThanOrEqual(cap + chunk.length);
            expect(now.headers).toBeLessThanOrEqual(limits.maxHeaders);
          }
        },
      ),
    );
  });

  it('does not hang on a line as long as the frame cap arriving in tiny chunks', () => {
    // Rescanning the unfinished line for every chunk made this quadratic: minutes for 4 MiB in 64-byte
    // chunks, against a fraction of a second when each chunk is read once. The bound is a hang
    // detector (a synchronous loop cannot be stopped by Jest's timeout), not a speed target.
    const hangBoundMs = 20_000;
    const cap = 4 * 1024 * 1024;
    const { parser, out } = recordingParser({ maxFrameSize: cap });
    parser.push(Buffer.from('Asterisk Call Manager/11.0.0\r\nEvent: Long\r\nOutput: '));
    const chunk = Buffer.alloc(64, 0x61);
    const started = performance.now();
    let largest = 0;
    let elapsed = 0;
    for (let sent = 0; sent <= cap && out.errors.length === 0; sent += chunk.length) {
      parser.push(chunk);
      largest = Math.max(largest, held(parser).bytes);
      if (sent % 65_536 === 0) elapsed = performance.now() - started;
      if (elapsed > hangBoundMs) break;
    }
    expect(elapsed).toBeLessThan(hangBoundMs);
    expect(largest).toBeLessThanOrEqual(cap + chunk.length);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toBeInstanceOf(AmiProtocolError);
    expect(held(parser).bytes).toBe(0);
  }, 60_000);
});
