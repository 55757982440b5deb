/**
 * The wallboard: one HTML page, no build step. Its script keeps the calls, channels and queues from the
 * server-sent events of /wallboard/events (a snapshot, then changes) and redraws at most once a frame.
 * Every value is written with textContent, never as HTML. Each call row carries data-linkedid and
 * data-shown-at (when it was first drawn, ms since epoch), each queue row data-callers (the waiting
 * callers' Uniqueids): the browser test reads them.
 */
export const WALLBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nestjs-ami wallboard</title>
<link rel="icon" href="data:,">
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; padding: 16px 24px; background: #0f172a; color: #e2e8f0; }
  header { display: flex; align-items: center; gap: 12px; margin-bottom: 8px; }
  h1 { font-size: 20px; margin: 0; flex: 1; }
  h2 { font-size: 15px; margin: 18px 0 6px; color: #94a3b8; text-transform: uppercase; letter-spacing: .05em; }
  .badge { padding: 2px 10px; border-radius: 999px; background: #475569; font-size: 13px; }
  .badge.good { background: #15803d; } .badge.bad { background: #b91c1c; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #1e293b; }
  th { color: #94a3b8; font-weight: 500; font-size: 13px; }
  td.num { font-variant-numeric: tabular-nums; }
  tr.empty td { color: #64748b; font-style: italic; }
  .state-Up { color: #4ade80; } .state-Ring, .state-Ringing { color: #facc15; }
</style>
</head>
<body data-connection="disconnected" data-stream="connecting">
<header>
  <h1>Wallboard</h1>
  <span class="badge" id="synced">syncing</span>
  <span class="badge" id="connection">AMI: disconnected</span>
  <span class="badge" id="stream">page: connecting</span>
</header>
<h2>Calls in progress</h2>
<table><thead><tr><th>Call</th><th>From</th><th>To</th><th>State</th><th>Duration</th><th>Talk</th></tr></thead>
<tbody id="calls"></tbody></table>
<h2>Queues</h2>
<table><thead><tr><th>Queue</th><th>Waiting</th><th>Callers (waited)</th><th>Members free / all</th><th>Completed</th><th>Abandoned</th></tr></thead>
<tbody id="queues"></tbody></table>
<h2>Call log</h2>
<table><thead><tr><th>Ended</th><th>From</th><th>To</th><th>Outcome</th><th>Duration</th><th>Talk</th><th>Cause</th></tr></thead>
<tbody id="log"></tbody></table>
<script>
const board = { channels: new Map(), calls: new Map(), queues: new Map(), log: [], connection: 'disconnected', synced: false, offset: 0 };
const shownAt = new Map();
const tables = { channel: board.channels, call: board.calls, queue: board.queues };
const byKey = (list, key) => new Map(list.map((item) => [item[key], item]));
const serverNow = () => Date.now() + board.offset;
const known = (value) => (value && value !== '<unknown>' ? value : '');
const clock = (ms) => { const s = Math.max(0, Math.floor(ms / 1000)); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); };
let pending = false;
const schedule = () => { if (!pending) { pending = true; requestAnimationFrame(render); } };

const events = new EventSource('/wallboard/events');
const on = (type, apply) => events.addEventListener(type, (message) => { apply(JSON.parse(message.data)); schedule(); });
on('snapshot', (s) => {
  Object.assign(board, { offset: s.at - Date.now(), synced: s.synced, connection: s.connection, log: s.log });
  board.channels = tables.channel = byKey(s.channels, 'Uniqueid');
  board.calls = tables.call = byKey(s.calls, 'Linkedid');
  board.queues = tables.queue = byKey(s.queues, 'Queue');
  document.body.dataset.stream = 'open';
});
on('change', (c) => {
  if (c.kind === 'removed') tables[c.entity]?.delete(c.id); else tables[c.entity]?.set(c.id, c.value);
  board.synced = c.synced;
});
on('finished', (call) => { board.log.unshift(call); board.log.length = Math.min(board.log.length, 100); });
on('connection', (c) => { board.connection = c.state; });
events.onerror = () => { document.body.dataset.stream = 'reconnecting'; schedule(); };

function row(cells, attributes = {}) {
  const tr = document.createElement('tr');
  Object.assign(tr.dataset, attributes);
  for (const [text, className] of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    tr.append(td);
  }
  return tr;
}
function fill(id, rows, emptyText, columns) {
  const body = document.getElementById(id);
  body.replaceChildren(...(rows.length ? rows : [row([[emptyText]])]));
  if (!rows.length) { body.firstChild.className = 'empty'; body.firstChild.firstChild.colSpan = columns; }
}
function badge(id, text, good) {
  const element = document.getElementById(id);
  element.textContent = text;
  element.className = 'badge ' + (good ? 'good' : 'bad');
}
function callRow(call) {
  const channels = call.channels.map((id) => board.channels.get(id)).filter(Boolean);
  const first = board.channels.get(call.Linkedid) ?? channels[0];
  if (!shownAt.has(call.Linkedid)) shownAt.set(call.Linkedid, Date.now());
  const now = serverNow();
  const state = first ? first.ChannelStateDesc : '';
  // The far end runs the dialled extension (Dial and Local channels give it the caller's Exten).
  const far = channels.find((channel) => channel !== first && channel.Exten && channel.Exten !== 's');
  const to = far?.Exten || known(first?.ConnectedLineNum) || first?.Exten || '';
  return row([
    [first ? first.Channel : call.Linkedid],
    [known(first?.CallerIDNum) || known(first?.CallerIDName)],
    [to],
    [state + (channels.length > 1 ? ' · ' + channels.length + ' channels' : ''), 'state-' + state],
    [clock(now - call.startedAt), 'num'],
    [call.answeredAt ? clock(now - call.answeredAt) : '', 'num talk'],
  ], { linkedid: call.Linkedid, shownAt: String(shownAt.get(call.Linkedid)), state });
}
function queueRow(queue) {
  const free = queue.members.filter((member) => member.Status === '1' && member.Paused !== '1').length;
  const callers = queue.callers.map((caller) =>
    (known(caller.CallerIDNum) || caller.Channel) + ' (' + clock(serverNow() - caller.joinedAt) + ')').join(', ');
  return row([[queue.Queue], [String(queue.callers.length), 'num'], [callers], [free + ' / ' + queue.members.length, 'num'],
    [queue.Completed, 'num'], [queue.Abandoned, 'num']], {
      queue: queue.Queue,
      waiting: String(queue.callers.length),
      callers: queue.callers.map((caller) => caller.Uniqueid).join(' '),
    });
}
function logRow(call) {
  return row([[new Date(call.endedAt).toLocaleTimeString()], [call.from], [call.to], [call.outcome],
    [clock(call.durationMs), 'num'], [clock(call.talkTimeMs), 'num'], [call.cause + ' ' + call.causeTxt]], { linkedid: call.id });
}
function render() {
  pending = false;
  for (const id of shownAt.keys()) if (!board.calls.has(id)) shownAt.delete(id);
  const calls = [...board.calls.values()].sort((a, b) => a.startedAt - b.startedAt);
  fill('calls', calls.map(callRow), 'No calls', 6);
  fill('queues', [...board.queues.values()].map(queueRow), 'No queues', 6);
  fill('log', board.log.map(logRow), 'No finished calls yet', 7);
  const stream = document.body.dataset.stream;
  document.body.dataset.connection = board.connection;
  badge('connection', 'AMI: ' + board.connection, board.connection === 'connected');
  badge('stream', 'page: ' + stream, stream === 'open');
  badge('synced', board.synced ? 'in sync' : 'syncing', board.synced);
}
setInterval(schedule, 1000);
</script>
</body>
</html>
`;
