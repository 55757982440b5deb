import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BANNER, newParser } from './parse.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap and ArrayBuffer bytes still reachable after full collections (freed ArrayBuffers leave late). */
async function liveBytes(): Promise<number> {
  for (let round = 0; round < 3; round++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const MIB = 2 ** 20;

describe('frame parser memory for a long unfinished line', () => {
  // Each chunk once cost its own Buffer (about a hundred bytes of object for one byte of line): a 1 MiB
  // line trickled a byte at a time held over 100 MiB. The bound is generous: a few times the cap.
  it.each([
    ['one byte at a time', 1],
    ['in 64 KiB reads', 64 * 1024],
  ])(
    'stays within a few times maxFrameSize, the line arriving %s',
    async (_how, size) => {
      const cap = MIB;
      const { parser, result } = newParser('utf8', { maxFrameSize: cap });
      parser.push(Buffer.from(`${BANNER}Event: Long\r\nOutput: `));
      const lineLength = cap - 64;
      // One chunk, reused for every push, as the socket reuses its read buffer.
      const chunk = Buffer.alloc(size, 0x61);
      const before = await liveBytes();
      for (let sent = 0; sent < lineLength; sent += size) {
        parser.push(chunk.subarray(0, Math.min(size, lineLength - sent)));
      }
      const held = (await liveBytes()) - before;
      expect(held).toBeLessThan(4 * cap);
      expect(parser.bytesHeld).toBeLessThanOrEqual(cap);
      parser.push(Buffer.from('\r\n\r\n'));
      expect(result.errors).toEqual([]);
      expect(result.messages.map((message) => String(message.Output).length)).toEqual([lineLength]);
      expect(parser.bytesHeld).toBeLessThanOrEqual(64 * 1024);
    },
    60_000,
  );
});
