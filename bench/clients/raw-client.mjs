// The baseline: a socket that only counts `\r\n\r\n` terminators (and, for W2, reads the ActionID of each
// answer). No parsing, no objects per message: the limit of any JavaScript client on this machine.
import { connect } from 'node:net';
import { assert, heapUsedAfterGc, roundTripFigures, runChild, watchEventLoop } from '../support/child.mjs';
import { watchThreads } from '../support/threads.mjs';

const TERMINATOR = Buffer.from('\r\n\r\n');
const ACTION_ID = Buffer.from('ActionID: ');
const LOGIN = 'Action: Login\r\nActionID: 1\r\nUsername: USER\r\nSecret: bench\r\nEvents: on\r\n\r\n';
/** The login answer and the FullyBooted event that follows it. */
const LOGIN_FRAMES = 2;

/** Counts terminators across chunks, including one split between two chunks. */
class TerminatorCounter {
  count = 0;
  tail = Buffer.alloc(0);

  push(chunk) {
    let from = 0;
    if (this.tail.length > 0) {
      const seam = Buffer.concat([this.tail, chunk.subarray(0, 3)]);
      const found = seam.indexOf(TERMINATOR);
      if (found !== -1) {
        this.count += 1;
        from = found + 4 - this.tail.length;
      }
    }
    for (;;) {
      const found = chunk.indexOf(TERMINATOR, from);
      if (found === -1) break;
      this.count += 1;
      from = found + 4;
    }
    this.tail = Buffer.from(chunk.subarray(Math.max(from, chunk.length - 3)));
    return this.count;
  }
}

/** Connects, logs in as `user`; resolves with the socket once the login answer and FullyBooted are read. */
function login(port, user) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    const counter = new TerminatorCounter();
    let bannerSeen = false;
    const onData = (chunk) => {
      if (!bannerSeen) {
        bannerSeen = true;
        socket.write(LOGIN.replace('USER', user));
        const rest = chunk.subarray(chunk.indexOf('\n') + 1);
        if (rest.length === 0) return;
        chunk = rest;
      }
      if (counter.push(chunk) >= LOGIN_FRAMES) {
        socket.off('data', onData);
        socket.off('error', reject);
        resolve(socket);
      }
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

/** Writes `request`, then counts frames until `expected`; the ms from the write to the last one. */
async function countFrames(socket, expected, request) {
  const counter = new TerminatorCounter();
  const started = performance.now();
  let elapsedMs = 0;
  await new Promise((resolve, reject) => {
    socket.on('data', (chunk) => {
      if (counter.push(chunk) >= expected) {
        elapsedMs = performance.now() - started;
        resolve();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed after ${counter.count} of ${expected} frames`)));
    socket.write(request);
  });
  socket.removeAllListeners('close');
  return { counter, elapsedMs };
}

function close(socket) {
  return new Promise((resolve) => {
    socket.once('close', resolve);
    socket.end('Action: Logoff\r\nActionID: 99\r\n\r\n');
  });
}

async function eventStorm({ port, events }) {
  const socket = await login(port, 'storm');
  // The same start as the clients measured, which read their heap after a forced GC just before timing.
  heapUsedAfterGc();
  // The Pong, the storm, the sentinel.
  const expected = 1 + events + 1;
  const loop = watchEventLoop();
  const { counter, elapsedMs } = await countFrames(socket, expected, 'Action: Ping\r\nActionID: 2\r\n\r\n');
  const loopDelayMaxMs = loop.stop();
  assert(counter.count === expected, `read ${counter.count} frames, expected ${expected}`);
  await close(socket);
  return {
    elapsedMs,
    eventsPerSecond: (events / elapsedMs) * 1000,
    frames: counter.count - 1,
    loopDelayMaxMs,
  };
}

/**
 * W2. Each answer's next Ping is written at once, one write per Ping (what the target compares with);
 * with `coalesce` all the Pings an incoming chunk releases leave in one write (the harder baseline,
 * shown for information).
 */
async function pingRoundTrips({ port, pings, window, coalesce }) {
  const socket = await login(port, 'ping');
  // The same start as the clients measured, which read their heap after a forced GC just before timing.
  heapUsedAfterGc();
  const sentAt = new Float64Array(pings);
  const latencies = new Float64Array(pings);
  const answered = new Uint8Array(pings);
  let sent = 0;
  let received = 0;
  let pending = Buffer.alloc(0);
  const ping = () => {
    const id = sent++;
    sentAt[id] = performance.now();
    return `Action: Ping\r\nActionID: ${id}\r\n\r\n`;
  };
  const threads = watchThreads();
  const started = performance.now();
  let elapsedMs = 0;
  await new Promise((resolve, reject) => {
    socket.on('data', (chunk) => {
      const data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let start = 0;
      let out = '';
      for (;;) {
        const end = data.indexOf(TERMINATOR, start);
        if (end === -1) break;
        const at = data.indexOf(ACTION_ID, start);
        if (at !== -1 && at < end) {
          let id = 0;
          for (let i = at + ACTION_ID.length; data[i] >= 48 && data[i] <= 57; i++)
            id = id * 10 + data[i] - 48;
          if (id < pings && answered[id] === 0) {
            answered[id] = 1;
            latencies[id] = performance.now() - sentAt[id];
            received += 1;
            if (sent < pings) {
              if (coalesce) out += ping();
              else socket.write(ping());
            }
          }
        }
        start = end + 4;
      }
      pending = data.subarray(start);
      if (out.length > 0) socket.write(out);
      if (received === pings) {
        elapsedMs = performance.now() - started;
        resolve();
      }
    });
    socket.on('error', reject);
    if (coalesce) {
      let first = '';
      while (sent < Math.min(window, pings)) first += ping();
      socket.write(first);
    } else {
      while (sent < Math.min(window, pings)) socket.write(ping());
    }
  });
  const threadTimes = threads.stop();
  await close(socket);
  return {
    ...roundTripFigures(latencies, elapsedMs),
    answered: received,
    threads: threadTimes,
  };
}

async function eventList({ port, listItems }) {
  const socket = await login(port, 'list');
  // The response, the items, the Complete event.
  const expected = 1 + listItems + 1;
  const { counter, elapsedMs } = await countFrames(
    socket,
    expected,
    'Action: CoreShowChannels\r\nActionID: 2\r\n\r\n',
  );
  assert(counter.count === expected, `read ${counter.count} frames, expected ${expected}`);
  await close(socket);
  return { elapsedMs, items: counter.count - 2 };
}

runChild({ w1: eventStorm, w2: pingRoundTrips, w3: eventList });
