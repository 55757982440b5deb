// W3's list without a socket or a client, in a fresh process: the same 20,000 CoreShowChannel items
// (10 MiB) fed from memory in 64 KiB chunks.
//
//   node bench/w3-parser-only.mjs keep      the built parser, keeping the messages (as a list does)
//   node bench/w3-parser-only.mjs drop      the built parser, dropping them
//   node bench/w3-parser-only.mjs floor     the least any eager parser must do, with the lines already
//                                           found: decode each 4 KiB segment as Latin-1, cut out each
//                                           value at offsets computed before timing, keep the values in
//                                           one array per item; no scanning, no names, no objects
//
// Run `npm run build` first. It shows how much of W3's budget (0.40 of raw: 2.5 x the raw counter's
// time) the parsing alone takes before a byte comes from a socket. `keep` and `drop` also print the
// parser's time for each MiB in turn: how long the code runs unoptimized in a fresh process.
import { PerformanceObserver } from 'node:perf_hooks';
import { AmiFrameParser } from '../dist/protocol/frame-parser.js';
import { coreShowChannelParts } from './server/call-events.mjs';

const ITEMS = 20_000;
const CHUNK = 64 * 1024;
const SEGMENT = 4096;
const NEWLINE = 10;
const MIB = 2 ** 20;
const mode = process.argv[2] ?? 'keep';
/** The parser's time for each MiB in turn: the first ones run before the optimizing compiler is done. */
const msPerMib = [];
if (!['keep', 'drop', 'floor'].includes(mode)) throw new Error(`unknown mode ${mode}: keep, drop or floor`);

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
  let mibStarted = performance.now();
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    parser.push(bytes.subarray(offset, offset + CHUNK));
    if ((offset + CHUNK) % MIB === 0) {
      const now = performance.now();
      msPerMib.push(now - mibStarted);
      mibStarted = now;
    }
  }
  return messages.length;
}

/** Where each segment's values are, found before timing starts: what `floor` does not pay for. */
function planSegments() {
  const plan = [];
  for (let start = 0; start < bytes.length; ) {
    const cut = bytes.indexOf(NEWLINE, start + SEGMENT);
    const end = cut === -1 ? bytes.length : cut + 1;
    const text = bytes.toString('latin1', start, end);
    const valueStarts = [];
    const valueEnds = [];
    const itemEnds = [];
    for (let line = 0; ; ) {
      const newline = text.indexOf('\n', line);
      if (newline === -1) break;
      if (newline - line <= 1) itemEnds.push(valueStarts.length);
      else {
        valueStarts.push(text.indexOf(':', line) + 2);
        valueEnds.push(newline - 1);
      }
      line = newline + 1;
    }
    plan.push({ start, end, valueStarts, valueEnds, itemEnds });
    start = end;
  }
  return plan;
}

function cutValuesOnly(plan) {
  const items = [];
  let values = [];
  for (const { start, end, valueStarts, valueEnds, itemEnds } of plan) {
    const text = bytes.latin1Slice(start, end);
    let nextItemEnd = 0;
    for (let value = 0; value < valueStarts.length; value++) {
      while (itemEnds[nextItemEnd] === value) {
        items.push(values);
        values = [];
        nextItemEnd++;
      }
      values.push(text.slice(valueStarts[value], valueEnds[value]));
    }
    for (; nextItemEnd < itemEnds.length; nextItemEnd++) {
      items.push(values);
      values = [];
    }
  }
  return items.length;
}

/** Garbage-collection pauses, as V8 reports them to `perf_hooks` (delivered after the timed run). */
function watchCollections() {
  const pauses = [];
  const observer = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return async (from, to) => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    observer.disconnect();
    const during = pauses.filter((pause) => pause.startTime >= from && pause.startTime < to);
    return during.reduce((total, pause) => total + pause.duration, 0);
  };
}

const plan = mode === 'floor' ? planSegments() : null;
const collectionsBetween = watchCollections();
const started = performance.now();
const count = mode === 'floor' ? cutValuesOnly(plan) : parseWithClientParser(mode === 'keep');
const elapsed = performance.now() - started;
const collectionMs = await collectionsBetween(started, started + elapsed);
console.log(
  `${mode}: ${count} messages of ${ITEMS + 2} (${(bytes.length / MIB).toFixed(1)} MiB): ${elapsed.toFixed(1)} ms, ` +
    `of which garbage collection ${collectionMs.toFixed(1)} ms`,
);
if (msPerMib.length > 0)
  console.log(`ms per MiB, in order: ${msPerMib.map((ms) => ms.toFixed(1)).join(' ')}`);
