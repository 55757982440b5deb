// W3's list without a socket or a client, in a fresh process: the same 20,000 CoreShowChannel items
// (10 MiB) fed from memory in 64 KiB chunks.
//
//   node bench/w3-parser-only.mjs keep      the built parser, keeping the messages (as a list does)
//   node bench/w3-parser-only.mjs drop      the built parser, dropping them
//   node bench/w3-parser-only.mjs minimal   the least any eager parser does: decode (Latin-1 where
//                                           ASCII), split lines, cut each value out and keep it, in one
//                                           array per item; no names, no objects, no checks
//
// Run `npm run build` first. It shows how much of W3's budget (0.40 of raw: 2.5 x the raw counter's
// time) the parsing alone takes before a byte comes from a socket.
import { isAscii } from 'node:buffer';
import { AmiFrameParser } from '../dist/protocol/frame-parser.js';
import { coreShowChannelParts } from './server/call-events.mjs';

const ITEMS = 20_000;
const CHUNK = 64 * 1024;
const NEWLINE = 10;
const mode = process.argv[2] ?? 'keep';
if (!['keep', 'drop', 'minimal'].includes(mode))
  throw new Error(`unknown mode ${mode}: keep, drop or minimal`);

let text =
  'Asterisk Call Manager/11.0.0\r\nResponse: Success\r\nActionID: 1\r\nEventList: start\r\n' +
  'Message: Channels will follow\r\n\r\n';
for (let index = 0; index < ITEMS; index++) {
  const { head, tail } = coreShowChannelParts(index);
  text += `${head}1${tail}`;
}
text += `Event: CoreShowChannelsComplete\r\nActionID: 1\r\nEventList: Complete\r\nListItems: ${ITEMS}\r\n\r\n`;
const bytes = Buffer.from(text);

function parseWithClientParser(keep) {
  const messages = [];
  const parser = new AmiFrameParser({
    onBanner() {},
    onMessage(message) {
      if (keep) messages.push(message);
    },
    onProtocolError(error) {
      throw error;
    },
  });
  for (let offset = 0; offset < bytes.length; offset += CHUNK)
    parser.push(bytes.subarray(offset, offset + CHUNK));
  return messages.length;
}

function parseMinimally() {
  const items = [];
  let values = [];
  let pending = null;
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    const chunk = bytes.subarray(offset, offset + CHUNK);
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    const complete = Buffer.concat(
      pending === null ? [chunk.subarray(0, lastNewline + 1)] : [pending, chunk.subarray(0, lastNewline + 1)],
    );
    pending = Buffer.from(chunk.subarray(lastNewline + 1));
    const lines = complete.toString(isAscii(complete) ? 'latin1' : 'utf8');
    let start = 0;
    for (;;) {
      const newline = lines.indexOf('\n', start);
      if (newline === -1) break;
      if (newline - start <= 1) {
        items.push(values);
        values = [];
      } else {
        const colon = lines.indexOf(':', start);
        values.push(lines.slice(colon + 2, newline - 1));
      }
      start = newline + 1;
    }
  }
  return items.length;
}

const started = performance.now();
const count = mode === 'minimal' ? parseMinimally() : parseWithClientParser(mode === 'keep');
const elapsed = performance.now() - started;
console.log(
  `${mode}: ${count} messages of ${ITEMS + 2} (${(bytes.length / 2 ** 20).toFixed(1)} MiB): ${elapsed.toFixed(1)} ms`,
);
