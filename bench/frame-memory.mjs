// Memory the frame parser holds for one long unfinished line, whatever the way its bytes arrive.
//
//   node --expose-gc bench/frame-memory.mjs large    [--cap MiB] [--dist dir]   64 KiB pushes (a socket's reads of one large write)
//   node --expose-gc bench/frame-memory.mjs trickle  [--cap MiB] [--dist dir]   1-byte pushes
//   node --expose-gc bench/frame-memory.mjs loopback [--cap MiB] [--dist dir]   a child process writes the line
//                                                    one byte per write (setNoDelay) over loopback TCP
//
// The line grows to 64 bytes under `maxFrameSize` (the cap), then ends. Printed: what stays held once the
// line is at its longest (after a full GC: heap used plus ArrayBuffers, less the same before the line), and
// the largest sample taken while it grew (garbage included), each also as a multiple of the cap.
// Run `npm run build` first.
import { fork } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { cap: { type: 'string', default: '1' }, dist: { type: 'string', default: '../dist' } },
});
const shape = positionals[0] ?? 'trickle';
const MIB = 2 ** 20;
const cap = Math.round(Number(args.cap) * MIB);
const head = Buffer.from('Asterisk Call Manager/11.0.0\r\nEvent: Long\r\nOutput: ');
const lineLength = cap - head.length + 'Asterisk Call Manager/11.0.0\r\n'.length - 64;

if (shape === 'writer') {
  // The child: writes the line one byte per write, each written before the next is queued.
  // The end waits for the parent to have measured the line at its longest.
  const measured = new Promise((resolve) => process.once('message', resolve));
  const socket = connect(Number(positionals[1]), '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const write = (bytes) => new Promise((resolve) => socket.write(bytes, resolve));
  await write(head);
  const byte = Buffer.from('a');
  for (let sent = 0; sent < lineLength; sent++) await write(byte);
  await measured;
  await write('\r\n\r\n');
  socket.end();
} else {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  const { AmiFrameParser } = await import(`${args.dist}/protocol/frame-parser.js`);
  const used = () => {
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  let outputLength = -1;
  let error = null;
  const parser = new AmiFrameParser(
    {
      onBanner() {},
      onMessage(message) {
        outputLength = message.Output.length;
      },
      onProtocolError(failure) {
        error = failure;
      },
    },
    'utf8',
    { maxFrameSize: cap },
  );
  let peak = 0;
  let held = 0;
  let pushes = 0;
  const sampleEvery = Math.max(1, Math.floor(lineLength / 256));
  let received = 0;
  const push = (chunk) => {
    parser.push(chunk);
    pushes++;
    received += chunk.length;
    if (pushes % sampleEvery === 0) peak = Math.max(peak, used());
  };
  // ArrayBuffers freed by one collection may leave the count only at the next.
  const collect = async () => {
    for (let round = 0; round < 3; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const atLongest = async () => {
    await collect();
    held = used() - baseline;
  };
  // The source of the in-process shapes exists before the baseline: only the parser's part is counted.
  const chunkSize = shape === 'large' ? 64 * 1024 : 1;
  // Built in place: a temporary buffer freed around the baseline would blur the figures.
  const line = shape === 'loopback' ? null : Buffer.allocUnsafeSlow(head.length + lineLength);
  line?.fill(0x61, head.copy(line));
  // Kept reachable to the end, so that it is not collected in the middle of the figures.
  globalThis.source = line;
  const chunk = Buffer.allocUnsafe(chunkSize);
  await collect();
  const baseline = used();
  if (shape === 'loopback') {
    await new Promise((resolve, reject) => {
      const total = head.length + lineLength;
      let writer = null;
      const server = createServer((socket) => {
        let measured = false;
        socket.on('close', () => server.close(resolve));
        socket.on('error', reject);
        socket.on('data', (chunk) => {
          push(chunk);
          if (!measured && received >= total) {
            measured = true;
            atLongest().then(() => writer.send('end'), reject);
          }
        });
      });
      server.listen(0, '127.0.0.1', () => {
        writer = fork(new URL(import.meta.url), ['writer', String(server.address().port), '--cap', args.cap]);
        writer.on('error', reject);
      });
    });
  } else {
    for (let offset = 0; offset < line.length; offset += chunkSize) {
      const length = line.copy(chunk, 0, offset, offset + chunkSize);
      push(chunk.subarray(0, length));
    }
    await atLongest();
    push(Buffer.from('\r\n\r\n'));
  }
  if (error !== null || outputLength !== lineLength) throw new Error(`line not read whole: ${error}`);
  peak = Math.max(peak - baseline, held);
  const show = (bytes) => `${(bytes / MIB).toFixed(1)} MiB (${(bytes / cap).toFixed(2)} x cap)`;
  console.log(
    `${shape}: cap ${args.cap} MiB, ${pushes} pushes (${(received / pushes).toFixed(1)} bytes each): ` +
      `held at the longest ${show(held)}, largest sample ${show(peak)}`,
  );
}
