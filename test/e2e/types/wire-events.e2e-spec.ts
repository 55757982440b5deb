import { AmiClient, type AmiEvent } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';
import { readEventTypes, type TypedEvent } from './event-types.js';
import { wireMismatches } from './wire-mismatches.js';

// Every event the rig can provoke, compared with the type users compile against: each header Asterisk 22
// sends must be declared (in its spelling), each field typed present must arrive, and a header Asterisk
// repeats must be typed `string | string[]`. Dialplan: test/asterisk/etc/extensions.conf, context `test`.

describe('event types against what Asterisk 22 sends', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  let types: Map<string, TypedEvent>;
  /** The events of the running test. */
  let received: AmiEvent[] = [];
  client.onEvent('*', (event) => {
    received.push(event);
  });
  const startsWith = (prefix: string) => (event: AmiEvent) => String(event.Channel).startsWith(prefix);

  /** Runs a list action and keeps its items and closing event, whether or not listeners saw them. */
  async function list(action: Parameters<AmiClient['sendList']>[0]): Promise<AmiEvent[]> {
    const { events, complete } = await client.sendList(action);
    received.push(...events, ...(complete === undefined ? [] : [complete]));
    return events;
  }

  /** Originates `Local/<exten>@test` running Wait on the near end; resolves with the event `ready`. */
  async function call(exten: string, ready: string, predicate = startsWith(`Local/${exten}@test-`)) {
    const arrived = nextEvent(client, ready, predicate, 15_000);
    await client.originate({ Channel: `Local/${exten}@test`, Application: 'Wait', Data: '30' });
    return arrived;
  }

  /** Hangs `channel` up (a `/regex/` hangs up every match) and waits for the event `last`. */
  async function hangUp(channel: string, last: string, predicate: (event: AmiEvent) => boolean = () => true) {
    const done = nextEvent(client, last, predicate, 15_000);
    await client.send({ Action: 'Hangup', Channel: channel });
    await done;
  }

  /** The test's events agree with their types, and include `expected` (the check saw a real stream). */
  function expectTypesToMatch(expected: string[]): void {
    expect(wireMismatches(received, types)).toEqual([]);
    const seen = new Set(received.map((event) => event.Event));
    expect(expected.filter((name) => !seen.has(name))).toEqual([]);
  }

  beforeAll(async () => {
    // Compiling the types takes a few seconds.
    types = readEventTypes();
    await client.connect();
  }, 60_000);
  beforeEach(() => {
    received = [];
  });
  afterAll(() => client.disconnect());

  it('answered, busy and failing calls', async () => {
    const answered = nextEvent(client, 'Hangup', startsWith('Local/100@test-'));
    await client.originate({ Channel: 'Local/100@test', Context: 'test', Exten: 'answer', Priority: 1 });
    await answered;
    for (const exten of ['busy', 'missing']) {
      const failed = nextEvent(client, 'OriginateResponse', (event) => event.Response === 'Failure');
      await client
        .originate({ Channel: `Local/${exten}@test`, Context: 'test', Exten: 'answer', Priority: 1 })
        .catch(() => undefined);
      await failed;
    }
    // Never answered: the originate fails once Dial() has.
    const dialFailed = nextEvent(client, 'Hangup', startsWith('Local/nowhere@test-'));
    await client
      .originate({ Channel: 'Local/nowhere@test', Application: 'Wait', Data: '5' })
      .catch(() => undefined);
    await dialFailed;
    expectTypesToMatch([
      ...['Newchannel', 'Newexten', 'Newstate', 'DialBegin', 'DialEnd', 'Hangup', 'HangupRequest'],
      ...['SoftHangupRequest', 'OriginateResponse', 'LocalBridge', 'DeviceStateChange', 'VarSet'],
    ]);
  }, 60_000);

  it('a call bridged by Dial(): the list actions, a recording, DTMF, a blind transfer', async () => {
    // This call's own bridge and channels: calls another test left running may be listed too.
    const entered = await call('bridged', 'BridgeEnter', startsWith('Local/bridged@test-'));
    await list({ Action: 'BridgeList' });
    await list({ Action: 'BridgeInfo', BridgeUniqueid: String(entered.BridgeUniqueid) });
    await list({ Action: 'CoreShowChannels' });
    const near = String(entered.Channel).replace(/;2$/, ';1');
    const far = near.replace(/;1$/, ';2');
    await client.send({ Action: 'Setvar', Channel: near, Variable: 'NESTJS_AMI_WIRE', Value: '1' });
    await client.send({ Action: 'Setvar', Channel: near, Variable: 'NESTJS_AMI_TICKET', Value: 'T-42' });
    await list({ Action: 'Status' });
    // With its variables: one `Variable: name=value` header each.
    await list({ Action: 'Status', Channel: near, AllVariables: true });
    await client.send({ Action: 'MixMonitor', Channel: near, File: `wire-${process.pid}.wav` });
    await client.send({ Action: 'MixMonitorMute', Channel: near, Direction: 'both', State: 1 });
    await client.send({ Action: 'MixMonitorMute', Channel: near, Direction: 'both', State: 0 });
    const stopped = nextEvent(client, 'MixMonitorStop', (event) => event.Channel === near);
    await client.send({ Action: 'StopMixMonitor', Channel: near });
    await stopped;
    const dtmf = nextEvent(client, 'DTMFEnd', (event) => event.Digit === '5');
    await client.send({ Action: 'PlayDTMF', Channel: near, Digit: '5', Duration: 100 });
    await dtmf;
    // The transfer can end the call by itself (Dial returns, the Local pair hangs up), and that Hangup may
    // come in the same read as BlindTransfer: it is awaited from before the transfer.
    const nearHungUp = nextEvent(client, 'Hangup', (event) => event.Channel === near, 30_000);
    const transferred = nextEvent(client, 'BlindTransfer', (event) => event.TransfererChannel === far);
    await client.send({ Action: 'BlindTransfer', Channel: far, Context: 'test', Exten: 'answer' });
    await transferred;
    await client.send({ Action: 'Hangup', Channel: '/^Local\\/(bridged|answer)@test-/' });
    await nearHungUp;
    expectTypesToMatch([
      ...['BridgeCreate', 'BridgeEnter', 'BridgeLeave', 'BridgeListItem', 'BridgeInfoChannel'],
      ...['BridgeInfoComplete', 'CoreShowChannel', 'CoreShowChannelsComplete', 'Status', 'StatusComplete'],
      ...['MixMonitorStart', 'MixMonitorMute', 'MixMonitorStop', 'DTMFBegin', 'DTMFEnd', 'BlindTransfer'],
      ...['NewCallerid', 'NewConnectedLine'],
    ]);
    // The corrected header was among them.
    expect(received.some((event) => event.Event === 'Status' && event.Variable !== undefined)).toBe(true);
  }, 60_000);

  it('a parked call that gives up', async () => {
    const entered = await call('bridged', 'BridgeEnter', startsWith('Local/bridged@test-'));
    const far = String(entered.Channel);
    const parked = nextEvent(client, 'ParkedCall', (event) => event.ParkeeChannel === far);
    await client.send({ Action: 'Park', Channel: far });
    await parked;
    await list({ Action: 'ParkedCalls' });
    await list({ Action: 'Parkinglots' });
    await hangUp('/^Local\\/(bridged|answer)@test-/', 'ParkedCallGiveUp', (e) => e.ParkeeChannel === far);
    expectTypesToMatch(['ParkedCall', 'ParkedCallGiveUp', 'BridgeDestroy']);
  }, 60_000);

  it('a conference', async () => {
    await call('conference', 'ConfbridgeJoin');
    const conference = { Conference: 'nestjs-ami' };
    await list({ Action: 'ConfbridgeList', ...conference });
    await list({ Action: 'ConfbridgeListRooms' });
    await client.send({ Action: 'ConfbridgeMute', ...conference, Channel: 'all' });
    await client.send({ Action: 'ConfbridgeUnmute', ...conference, Channel: 'all' });
    await hangUp(
      '/^Local\\/conference@test-/',
      'ConfbridgeEnd',
      (event) => event.Conference === 'nestjs-ami',
    );
    expectTypesToMatch([
      ...['ConfbridgeStart', 'ConfbridgeJoin', 'ConfbridgeList', 'ConfbridgeListRooms', 'ConfbridgeMute'],
      ...['ConfbridgeUnmute', 'ConfbridgeLeave', 'ConfbridgeEnd'],
    ]);
  }, 60_000);

  it('queue callers: waiting and abandoning, ringing a member who does not answer, answered', async () => {
    // Queue wire gives a ringing member up after one second (test/asterisk/etc/queues.conf).
    const queue = 'wire';
    const ringing = { Queue: queue, Interface: 'Local/ring@test' };
    const agent = { Queue: queue, Interface: 'Local/agent@test' };
    await client.send({ Action: 'QueueAdd', ...agent, MemberName: 'wire-agent', Paused: true });
    try {
      const waiting = nextEvent(client, 'QueueCallerJoin', (event) => event.Queue === queue);
      await client.originate({ Channel: 'Local/queue-wire@test', Application: 'Wait', Data: '30' });
      const caller = String((await waiting).Channel);
      await list({ Action: 'QueueStatus', Queue: queue });
      await hangUp(caller, 'QueueCallerAbandon', (event) => event.Channel === caller);

      await client.send({ Action: 'QueueAdd', ...ringing });
      const unanswered = call('queue-wire', 'AgentRingNoAnswer', (event) => event.Queue === queue);
      await unanswered;
      await client.send({ Action: 'QueueRemove', ...ringing });

      await client.send({ Action: 'QueuePause', ...agent, Paused: true, Reason: 'lunch' });
      await client.send({ Action: 'QueuePause', ...agent, Paused: false });
      await client.send({ Action: 'QueuePenalty', ...agent, Penalty: 1 });
      await client.send({ Action: 'QueueMemberRingInUse', ...agent, RingInUse: false });
      const connected = nextEvent(client, 'AgentConnect', (event) => event.Queue === queue, 15_000);
      const answered = await connected;
      await list({ Action: 'QueueStatus', Queue: queue });
      await list({ Action: 'QueueSummary', Queue: queue });
      await hangUp(String(answered.Channel), 'AgentComplete', (event) => event.Queue === queue);
    } finally {
      await client.send({ Action: 'QueueRemove', ...agent }).catch(() => undefined);
      await client.send({ Action: 'QueueRemove', ...ringing }).catch(() => undefined);
      await client.send({ Action: 'Hangup', Channel: '/^Local\\/(queue-wire|ring|agent)@test-/' });
    }
    expectTypesToMatch([
      ...['QueueMemberAdded', 'QueueMemberPause', 'QueueMemberPenalty', 'QueueMemberRinginuse'],
      ...['QueueCallerJoin', 'QueueEntry', 'QueueCallerAbandon', 'QueueCallerLeave', 'AgentCalled'],
      ...['AgentRingNoAnswer', 'AgentConnect', 'AgentComplete', 'QueueMemberStatus', 'QueueParams'],
      ...['QueueMember', 'QueueSummary', 'QueueMemberRemoved'],
    ]);
  }, 90_000);

  it('AsyncAGI: commands with and without a CommandID, then the channel hung up', async () => {
    const agi = String((await call('agi', 'AsyncAGIStart')).Channel);
    for (const command of [{ CommandID: `wire-${process.pid}` }, {}]) {
      const executed = nextEvent(client, 'AsyncAGIExec', (event) => event.Channel === agi);
      await client.send({ Action: 'AGI', Channel: agi, Command: 'GET VARIABLE CHANNEL(state)', ...command });
      await executed;
    }
    await hangUp(agi, 'AsyncAGIEnd', (event) => event.Channel === agi);
    expectTypesToMatch(['AsyncAGIStart', 'AGIExecStart', 'AGIExecEnd', 'AsyncAGIExec', 'AsyncAGIEnd']);
    // The corrected header was among them.
    expect(received.some((event) => event.Event === 'AsyncAGIExec' && event.CommandId !== undefined)).toBe(
      true,
    );
  }, 60_000);

  it('events without a call, and the list actions of the suites and the README', async () => {
    const userEvent = nextEvent(client, 'UserEvent', (event) => event.UserEvent === 'NestjsAmiWire');
    await client.send({ Action: 'UserEvent', UserEvent: 'NestjsAmiWire', Ticket: 42 });
    await userEvent;
    const varSet = nextEvent(client, 'VarSet', (event) => event.Variable === 'NESTJS_AMI_WIRE');
    await client.send({ Action: 'Setvar', Variable: 'NESTJS_AMI_WIRE', Value: '1' });
    await varSet;
    const reloaded = nextEvent(client, 'Reload', (event) => event.Module === 'res_musiconhold.so');
    await client.send({ Action: 'ModuleLoad', LoadType: 'reload', Module: 'res_musiconhold.so' });
    await reloaded;
    const family = `nestjs-ami-wire-${process.pid}`;
    await client.send({ Action: 'DBPut', Family: family, Key: 'ticket', Val: 'T-42' });
    await list({ Action: 'DBGet', Family: family, Key: 'ticket' });
    await list({ Action: 'DBGetTree', Family: family });
    await client.send({ Action: 'DBDelTree', Family: family });
    await list({ Action: 'PJSIPShowEndpoints' });
    await list({ Action: 'PJSIPShowEndpoint', Endpoint: 'alice' });
    await list({ Action: 'ShowDialPlan', Context: 'test' });
    await list({ Action: 'DeviceStateList' });
    await list({ Action: 'ExtensionStateList' });
    await list({ Action: 'Agents' });
    // A login with a wrong secret, seen from this session.
    const refused = nextEvent(
      client,
      'InvalidPassword',
      (event) => event.AccountID === credentials().username,
    );
    const intruder = new AmiClient({ ...credentials(), secret: 'wrong', reconnect: false, keepAlive: false });
    await intruder.connect().catch(() => undefined);
    await intruder.destroy();
    await refused;
    expectTypesToMatch([
      ...['UserEvent', 'VarSet', 'Reload', 'DBGetResponse', 'DBGetTreeResponse', 'EndpointList'],
      ...['EndpointListComplete', 'EndpointDetail', 'EndpointDetailComplete', 'ListDialplan'],
      ...['DeviceStateListComplete', 'ExtensionStatus', 'ExtensionStateListComplete', 'AgentsComplete'],
      'InvalidPassword',
    ]);
  }, 60_000);
});
