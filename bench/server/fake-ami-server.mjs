// The benchmark's fake Asterisk, in its own process (forked by bench/run.mjs). Every byte it sends is
// built once at start-up, so the server costs the same for the raw counter and for the client measured.
//
// Login with any user and secret succeeds (then FullyBooted). A session logged in as `storm` answers its
// first Ping, then streams the event storm and the sentinel in 256 KiB writes. Ping answers Pong,
// CoreShowChannels answers the list, Logoff says Goodbye and closes.
// W5 (cluster mode): `Action: BenchStorm` with `Target: <user>`, `Events: <n>` and `Rate: <events/s, 0 =
// as fast as the socket takes them>` streams the storm's first n events and the sentinel to every open
// session logged in as that user, and answers `Sessions` and `PerType` (JSON counts of those n events).
// Sessions of users named `w5-*` send no `closed` report (the orchestrator waits for one per run).
import { createServer } from 'node:net';
import { SENTINEL_FRAME } from '../support/sentinel.mjs';
import { coreShowChannelParts, EVENT_TYPES, generateCallEvents } from './call-events.mjs';

const config = JSON.parse(process.argv[2]);
const STORM_SLICE = 256 * 1024;
const STORM_WINDOW = 2;
const TERMINATOR = Buffer.from('\r\n\r\n');
const BANNER = 'Asterisk Call Manager/11.0.0\r\n';
const FULLY_BOOTED =
  'Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 86400\r\nLastReload: 3600\r\nStatus: Fully Booted\r\n\r\n';

const storm = buildStorm(config.events);
const list = buildListTemplate(config.listItems);
/** The ActionID the raw counter gives CoreShowChannels (its Login is 1): its answer is ready before any run. */
listAnswer('2', false);

/**
 * The ActionID a client will give its next action, from the one it gave its Login: the client's IDs end
 * in a base-36 counter after a `-` (`<instance>-1`, then `<instance>-2`), the raw counter's are the counter.
 * The W3 list answer is built for it before the Login is answered, so no run's time includes building it.
 */
function nextActionId(loginId) {
  const dash = loginId.lastIndexOf('-');
  const counter = Number.parseInt(loginId.slice(dash + 1), 36);
  return Number.isNaN(counter) ? null : loginId.slice(0, dash + 1) + (counter + 1).toString(36);
}

function buildStorm(count) {
  const events = generateCallEvents(count);
  const perType = Object.fromEntries(EVENT_TYPES.map((type) => [type, 0]));
  const chunks = [];
  /** Byte offset where each event ends, and its type: W5 streams a prefix of the storm, paced. */
  const ends = new Float64Array(events.length);
  const types = events.map((item) => item.type);
  let offset = 0;
  events.forEach((item, index) => {
    offset += Buffer.byteLength(item.frame, 'utf8');
    ends[index] = offset;
  });
  for (let start = 0; start < events.length; start += 2_000) {
    const batch = events.slice(start, start + 2_000);
    for (const { type } of batch) perType[type] += 1;
    chunks.push(Buffer.from(batch.map((item) => item.frame).join(''), 'utf8'));
  }
  chunks.push(Buffer.from(SENTINEL_FRAME, 'utf8'));
  return { bytes: Buffer.concat(chunks), perType, ends, types };
}

function buildListTemplate(count) {
  const parts = [];
  for (let index = 0; index < count; index++) parts.push(coreShowChannelParts(index));
  return {
    count,
    parts,
    firstChannel: parts[0]?.channelName ?? null,
    lastChannel: parts[count - 1]?.channelName ?? null,
    byActionId: new Map(),
  };
}

/** The whole answer to one CoreShowChannels, cached by ActionID: each client run reuses its bytes. */
function listAnswer(actionId, warn = true) {
  let answer = list.byActionId.get(actionId);
  if (answer === undefined) {
    if (warn) {
      process.stderr.write(
        `fake server: building the list answer for ActionID ${actionId} during a run: that run's W3 time includes it\n`,
      );
    }
    const head = `Response: Success\r\nActionID: ${actionId}\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n`;
    const items = list.parts.map((part) => part.head + actionId + part.tail).join('');
    const tail =
      `Event: CoreShowChannelsComplete\r\nActionID: ${actionId}\r\nEventList: Complete\r\n` +
      `ListItems: ${list.count}\r\n\r\n`;
    answer = Buffer.from(head + items + tail, 'utf8');
    list.byActionId.set(actionId, answer);
    // The oldest answers (runs that are over) make room: a Map iterates in insertion order.
    if (list.byActionId.size > 16) list.byActionId.delete(list.byActionId.keys().next().value);
  }
  return answer;
}

function readHeaders(frame) {
  const headers = new Map();
  for (const line of frame.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function timestamp() {
  return (Date.now() / 1000).toFixed(6);
}

const PING_PREFIX = 'Action: Ping\r\nActionID: ';
const SENTINEL_BYTES = Buffer.from(SENTINEL_FRAME, 'utf8');
const sessions = new Set();

/** W5: the storm's first `count` events then the sentinel, to every session of `user`. */
function benchStorm(user, count, rate) {
  const n = Math.max(0, Math.min(count, storm.types.length));
  const perType = {};
  for (let i = 0; i < n; i++) perType[storm.types[i]] = (perType[storm.types[i]] ?? 0) + 1;
  const targets = [...sessions].filter((entry) => entry.session.user === user);
  for (const { socket, session } of targets) {
    if (rate > 0) streamPaced(socket, n, rate);
    else {
      const end = n === 0 ? 0 : storm.ends[n - 1];
      const bytes =
        n === storm.types.length
          ? storm.bytes
          : Buffer.concat([storm.bytes.subarray(0, end), SENTINEL_BYTES]);
      streamStorm(socket, session, bytes);
    }
  }
  return { sessions: targets.length, perType };
}

/** Writes `count` events at `rate` per second (due events every millisecond or so), then the sentinel. */
function streamPaced(socket, count, rate) {
  const started = performance.now();
  let sent = 0;
  const tick = () => {
    if (socket.destroyed) return;
    const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000));
    if (due > sent) {
      const from = sent === 0 ? 0 : storm.ends[sent - 1];
      socket.write(storm.bytes.subarray(from, storm.ends[due - 1]));
      sent = due;
    }
    if (sent < count) setTimeout(tick, 1);
    else socket.write(SENTINEL_BYTES);
  };
  tick();
}

function serve(socket) {
  const session = { user: null, stormed: false, maxStallMs: 0, actions: 0, closedSent: false };
  const entry = { socket, session };
  sessions.add(entry);
  let pending = Buffer.alloc(0);
  socket.setNoDelay(true);
  socket.write(BANNER);

  socket.on('data', (chunk) => {
    const data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    let out = '';
    let startStorm = false;
    const now = timestamp();
    for (;;) {
      const end = data.indexOf(TERMINATOR, start);
      if (end === -1) break;
      const frame = data.toString('latin1', start, end);
      start = end + 4;
      session.actions += 1;
      // The hot path of W2: the client under test and the raw counter both write Ping this way.
      if (frame.startsWith(PING_PREFIX) && frame.indexOf('\r\n', PING_PREFIX.length) === -1) {
        out += `Response: Success\r\nActionID: ${frame.slice(PING_PREFIX.length)}\r\nPing: Pong\r\nTimestamp: ${now}\r\n\r\n`;
        if (session.user === 'storm' && !session.stormed) startStorm = session.stormed = true;
        continue;
      }
      const headers = readHeaders(frame);
      const action = (headers.get('action') ?? '').toLowerCase();
      const id = headers.get('actionid');
      const idLine = id === undefined ? '' : `ActionID: ${id}\r\n`;
      if (action === 'login') {
        session.user = headers.get('username') ?? '';
        const listId = session.user === 'list' && id !== undefined ? nextActionId(id) : null;
        if (listId !== null) listAnswer(listId, false);
        out += `Response: Success\r\n${idLine}Message: Authentication accepted\r\n\r\n${FULLY_BOOTED}`;
      } else if (action === 'ping') {
        out += `Response: Success\r\n${idLine}Ping: Pong\r\nTimestamp: ${now}\r\n\r\n`;
        if (session.user === 'storm' && !session.stormed) startStorm = session.stormed = true;
      } else if (action === 'coreshowchannels') {
        if (out.length > 0) socket.write(out);
        out = '';
        socket.write(listAnswer(id ?? ''));
      } else if (action === 'benchstorm') {
        const started = benchStorm(
          headers.get('target') ?? '',
          Number(headers.get('events') ?? storm.types.length),
          Number(headers.get('rate') ?? 0),
        );
        out += `Response: Success\r\n${idLine}Sessions: ${started.sessions}\r\nPerType: ${JSON.stringify(started.perType)}\r\n\r\n`;
      } else if (action === 'filter') {
        // Cluster mode's ActionID Filter on each replica's action session: accepted (never applied here).
        out += `Response: Success\r\n${idLine}Message: Filter Added Successfully\r\n\r\n`;
      } else if (action === 'logoff') {
        out += `Response: Goodbye\r\n${idLine}Message: Thanks for all the fish.\r\n\r\n`;
        socket.end(out);
        return;
      } else {
        out += `Response: Error\r\n${idLine}Message: Invalid/unknown command\r\n\r\n`;
      }
    }
    pending = start === data.length ? Buffer.alloc(0) : data.subarray(start);
    if (out.length > 0) socket.write(out);
    if (startStorm) streamStorm(socket, session, storm.bytes);
  });

  const report = () => {
    sessions.delete(entry);
    if (session.closedSent || session.user?.startsWith('w5-')) return;
    session.closedSent = true;
    process.send({
      type: 'closed',
      user: session.user,
      maxStallMs: session.maxStallMs,
      actions: session.actions,
    });
  };
  socket.on('error', () => socket.destroy());
  socket.on('close', report);
}

/**
 * Writes the storm in slices, two in flight. The longest wait between two slice completions while data
 * was queued is how long the client left the socket unread, as Asterisk's 100 ms write timeout sees it
 * (approximately: kernel buffers absorb a few MiB).
 */
function streamStorm(socket, session, bytes) {
  let offset = 0;
  let inFlight = 0;
  let last = performance.now();
  const next = () => {
    while (inFlight < STORM_WINDOW && offset < bytes.length && !socket.destroyed) {
      const slice = bytes.subarray(offset, offset + STORM_SLICE);
      offset += slice.length;
      inFlight += 1;
      socket.write(slice, onWritten);
    }
  };
  const onWritten = (error) => {
    inFlight -= 1;
    const now = performance.now();
    if (now - last > session.maxStallMs) session.maxStallMs = now - last;
    last = now;
    if (!error) next();
  };
  next();
}

const server = createServer(serve);
server.listen(0, '127.0.0.1', () => {
  process.send({
    type: 'ready',
    port: server.address().port,
    storm: { events: config.events, bytes: storm.bytes.length, perType: storm.perType },
    list: { items: list.count, firstChannel: list.firstChannel, lastChannel: list.lastChannel },
  });
});
process.on('message', (message) => {
  if (message?.type === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
