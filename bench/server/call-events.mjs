// Realistic AMI call events, with the header sets Asterisk 18-22 writes (manager_channels.c,
// manager_bridges.c): a channel snapshot of 14 headers, plus the two `ChanVariable:` lines a call
// centre's `channelvars=CAMPAIGN_ID,LEAD_ID` adds to every snapshot (a repeated header, as on the wire).
// The calls are those of a dialer campaign: Asterisk originates to the customer, then bridges an agent,
// so DialBegin/DialEnd carry only the Dest* snapshot (no calling channel).

export const EVENT_TYPES = [
  'Newchannel',
  'Newstate',
  'Newexten',
  'VarSet',
  'DialBegin',
  'DialEnd',
  'BridgeEnter',
  'BridgeLeave',
  'Hangup',
];

/** What the brief asks every generated event to respect. */
export const FRAME_BOUNDS = { minHeaders: 12, maxHeaders: 25, minBytes: 340, maxBytes: 720 };

const STATES = { 0: 'Down', 4: 'Ring', 5: 'Ringing', 6: 'Up' };
// One caller in five has a name outside ASCII: UTF-8 within Latin-1's range (ü), and beyond it (Ł).
const CUSTOMER_NAMES = [
  'Müller, Jürgen',
  'ACME LOGISTICS GMBH',
  'WIRELESS CALLER',
  'SMITH JOHN',
  'Garcia Maria',
  'Nowak Łukasz',
  'CITY HOSPITAL',
  'ANONYMOUS',
  'OCONNOR PATRICK',
  'Jensen Anders',
];
const AGENT_NAMES = ['Agent Smith', 'Agent Ortega', 'Agent Nakamura', 'Agent Okafor', 'Agent Lindqvist'];
const QUEUES = ['sales', 'support-de', 'retention', 'billing'];
const BASE_EPOCH = 1_732_286_400;

function hex(value, width) {
  return value.toString(16).padStart(width, '0');
}

function uuid(seed) {
  const a = hex((seed * 2_654_435_761) >>> 0, 8);
  const b = hex((seed * 40_503) & 0xffff, 4);
  const c = hex(0x4000 | ((seed * 7) & 0x0fff), 4);
  const d = hex(0x8000 | ((seed * 13) & 0x3fff), 4);
  const e = hex(seed * 97_531, 12).slice(-12);
  return `${a}-${b}-${c}-${d}-${e}`;
}

function snapshot(channel, prefix = '') {
  return (
    `${prefix}Channel: ${channel.name}\r\n` +
    `${prefix}ChannelState: ${channel.state}\r\n` +
    `${prefix}ChannelStateDesc: ${STATES[channel.state]}\r\n` +
    `${prefix}CallerIDNum: ${channel.callerNum}\r\n` +
    `${prefix}CallerIDName: ${channel.callerName}\r\n` +
    `${prefix}ConnectedLineNum: ${channel.connectedNum}\r\n` +
    `${prefix}ConnectedLineName: ${channel.connectedName}\r\n` +
    `${prefix}Language: ${channel.language}\r\n` +
    `${prefix}AccountCode: ${channel.accountCode}\r\n` +
    `${prefix}Context: ${channel.context}\r\n` +
    `${prefix}Exten: ${channel.exten}\r\n` +
    `${prefix}Priority: ${channel.priority}\r\n` +
    `${prefix}Uniqueid: ${channel.uniqueid}\r\n` +
    `${prefix}Linkedid: ${channel.linkedid}\r\n` +
    `${prefix}ChanVariable: CAMPAIGN_ID=${channel.campaign}\r\n` +
    `${prefix}ChanVariable: LEAD_ID=${channel.lead}\r\n`
  );
}

function bridgeSnapshot(bridge) {
  return (
    `BridgeUniqueid: ${bridge.id}\r\n` +
    'BridgeType: basic\r\n' +
    'BridgeTechnology: simple_bridge\r\n' +
    'BridgeCreator: <unknown>\r\n' +
    'BridgeName: <unknown>\r\n' +
    `BridgeNumChannels: ${bridge.count}\r\n` +
    'BridgeVideoSourceMode: none\r\n'
  );
}

const event = (name, privilege, body) => `Event: ${name}\r\nPrivilege: ${privilege},all\r\n${body}\r\n`;

/** The events of one campaign call, in the order Asterisk emits them. */
function callEvents(index) {
  const uniqueBase = BASE_EPOCH + Math.floor(index / 50);
  const sequence = index * 2 + 1_000;
  const customerNum = `+49305550${String(10_000 + ((index * 7_919) % 90_000))}`;
  const agentNum = String(1_000 + (index % 240));
  const queue = QUEUES[index % QUEUES.length];
  const campaign = `spring-${2024 + (index % 2)}-${queue}`;
  const lead = String(900_000 + index);
  const customer = {
    name: `PJSIP/trunk-carrier-${hex(sequence, 8)}`,
    state: 0,
    callerNum: customerNum,
    callerName: CUSTOMER_NAMES[index % CUSTOMER_NAMES.length],
    connectedNum: '<unknown>',
    connectedName: '<unknown>',
    language: index % 3 === 0 ? 'de' : 'en',
    accountCode: campaign,
    context: 'dialer-outbound',
    exten: customerNum,
    priority: 1,
    uniqueid: `${uniqueBase}.${sequence}`,
    linkedid: `${uniqueBase}.${sequence}`,
    campaign,
    lead,
  };
  const agent = {
    ...customer,
    name: `PJSIP/agent${agentNum}-${hex(sequence + 1, 8)}`,
    callerNum: agentNum,
    callerName: AGENT_NAMES[index % AGENT_NAMES.length],
    connectedNum: customerNum,
    connectedName: customer.callerName,
    context: 'from-queue',
    exten: agentNum,
    uniqueid: `${uniqueBase}.${sequence + 1}`,
  };
  const bridge = { id: uuid(index + 1), count: 0 };
  const frames = [];
  const push = (type, frame) => frames.push({ type, frame });
  const newexten = (channel, application, data) =>
    push(
      'Newexten',
      event(
        'Newexten',
        'dialplan',
        `${snapshot(channel)}Extension: ${channel.exten}\r\nApplication: ${application}\r\nAppData: ${data}\r\n`,
      ),
    );
  const varSet = (channel, variable, value) =>
    push(
      'VarSet',
      event('VarSet', 'dialplan', `${snapshot(channel)}Variable: ${variable}\r\nValue: ${value}\r\n`),
    );
  const newstate = (channel, state) => {
    channel.state = state;
    push('Newstate', event('Newstate', 'call', snapshot(channel)));
  };
  const bridgeMove = (type, channel, count) => {
    bridge.count = count;
    push(type, event(type, 'call', `${bridgeSnapshot(bridge)}${snapshot(channel)}`));
  };

  push('Newchannel', event('Newchannel', 'call', snapshot(customer)));
  push(
    'DialBegin',
    event('DialBegin', 'call', `${snapshot(customer, 'Dest')}DialString: carrier/${customerNum}\r\n`),
  );
  newstate(customer, 5);
  newstate(customer, 6);
  push('DialEnd', event('DialEnd', 'call', `${snapshot(customer, 'Dest')}DialStatus: ANSWER\r\n`));
  varSet(customer, '__CAMPAIGN_ID', campaign);
  newexten(customer, 'Set', `CHANNEL(language)=${customer.language}`);
  customer.priority = 2;
  newexten(customer, 'Queue', `${queue},tT,,,300`);
  varSet(customer, 'QUEUEPOSITION', String(1 + (index % 9)));
  push('Newchannel', event('Newchannel', 'call', snapshot(agent)));
  newstate(agent, 5);
  newstate(agent, 6);
  varSet(agent, 'MEMBERINTERFACE', `PJSIP/agent${agentNum}`);
  bridgeMove('BridgeEnter', customer, 1);
  bridgeMove('BridgeEnter', agent, 2);
  varSet(customer, 'BRIDGEPEER', agent.name);
  varSet(agent, 'BRIDGEPEER', customer.name);
  varSet(customer, 'ANSWEREDTIME', String(20 + (index % 400)));
  bridgeMove('BridgeLeave', agent, 1);
  bridgeMove('BridgeLeave', customer, 0);
  varSet(
    customer,
    'RTPAUDIOQOS',
    `ssrc=${(index * 2_654_435_761) >>> 0};themssrc=${(index * 40_503) >>> 0};lp=0;rxjitter=0.000125;rxcount=${
      1_000 + index
    };txjitter=0.000188;txcount=${1_002 + index};rlp=0;rtt=0.012`,
  );
  push('Hangup', event('Hangup', 'call', `${snapshot(agent)}Cause: 16\r\nCause-txt: Normal Clearing\r\n`));
  push('Hangup', event('Hangup', 'call', `${snapshot(customer)}Cause: 16\r\nCause-txt: Normal Clearing\r\n`));
  return frames;
}

/**
 * `count` events (whole calls, the last one cut), each `{ type, frame }`, checked against FRAME_BOUNDS.
 * Deterministic: the same count always gives the same bytes.
 */
export function generateCallEvents(count) {
  const events = [];
  for (let call = 0; events.length < count; call++) {
    for (const item of callEvents(call)) {
      if (events.length === count) break;
      checkBounds(item);
      events.push(item);
    }
  }
  return events;
}

function checkBounds({ type, frame }) {
  const headers = frame.split('\r\n').length - 2;
  const bytes = Buffer.byteLength(frame);
  const { minHeaders, maxHeaders, minBytes, maxBytes } = FRAME_BOUNDS;
  if (headers < minHeaders || headers > maxHeaders || bytes < minBytes || bytes > maxBytes) {
    throw new Error(`generated ${type} has ${headers} headers and ${bytes} bytes, outside the bounds`);
  }
}

/** One CoreShowChannel list item (ActionID second, as Asterisk writes list items), without the ActionID value. */
export function coreShowChannelParts(index) {
  // The call's fourth event is its customer channel answered (Newstate Up): what an active channel looks like.
  const call = callEvents(index)[3];
  const channel = call.frame.split('\r\n').slice(2, 16).join('\r\n');
  const head = 'Event: CoreShowChannel\r\nActionID: ';
  const tail =
    `\r\n${channel}\r\nBridgeId: ${uuid(index + 1)}\r\nApplication: Queue\r\n` +
    `ApplicationData: ${QUEUES[index % QUEUES.length]},tT,,,300\r\nDuration: 00:0${index % 10}:${
      10 + (index % 50)
    }\r\n\r\n`;
  return { head, tail, channelName: channel.split('\r\n')[0].slice('Channel: '.length) };
}
