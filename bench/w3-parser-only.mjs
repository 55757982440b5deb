// W3's list without a socket or a client: the built parser fed the same 20,000 CoreShowChannel items in
// 64 KiB chunks, in a fresh process, keeping the messages (as a list does) or dropping them. It shows the
// floor of W3 for this parser: `node bench/w3-parser-only.mjs [keep|drop]` (after `npm run build`).
import { AmiFrameParser } from '../dist/protocol/frame-parser.js';
import { coreShowChannelParts } from './server/call-events.mjs';

const ITEMS = 20_000;
const CHUNK = 64 * 1024;
const keep = (process.argv[2] ?? 'keep') === 'keep';

let text =
  'Asterisk Call Manager/11.0.0\r\nResponse: Success\r\nActionID: 1\r\nEventList: start\r\n' +
  'Message: Channels will follow\r\n\r\n';
for (let index = 0; index < ITEMS; index++) {
  const { head, tail } = coreShowChannelParts(index);
  text += `${head}1${tail}`;
}
text += `Event: CoreShowChannelsComplete\r\nActionID: 1\r\nEventList: Complete\r\nListItems: ${ITEMS}\r\n\r\n`;
const bytes = Buffer.from(text);

const messages = [];
const started = performance.now();
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
const elapsed = performance.now() - started;
console.log(
  `${keep ? 'keeping' : 'dropping'} ${ITEMS} items (${(bytes.length / 2 ** 20).toFixed(1)} MiB): ${elapsed.toFixed(1)} ms`,
);
