import { AmiClient, type AmiEvent } from '../../../lib/client/index.js';
import { credentials } from '../support/asterisk-target.js';
import { nextEvent } from '../support/wait-for.js';
import { readEventTypes } from './event-types.js';
import { wireMismatches } from './wire-mismatches.js';

// Every event the rig can provoke, compared with the type users compile against: each header Asterisk 22
// sends must be declared (in its spelling), each field typed present must arrive, and a header Asterisk
// repeats must be typed `string | string[]`. Dialplan: test/asterisk/etc/extensions.conf, context `test`.

describe('event types against what Asterisk 22 sends', () => {
  const client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
  const received: AmiEvent[] = [];
  client.on('event', (event) => {
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
    await client.originate({ Channel: `Local/${exten}@test`, Application: 'Wait', Data: '20' });
    return arrived;
  }

  async function hangUp(channel: string, last = 'Hangup'): Promise<void> {
    const gone = nextEvent(client, last, (event) => last !== 'Hangup' || event.Channel === channel);
    await client.send({ Action: 'Hangup', Channel: channel });
    await gone;
  }

  beforeAll(() => client.connect());
  afterAll(() => client.disconnect());

  it('match every event of answered, busy, failing, bridged, queued and AsyncAGI calls', async () => {
    // Answered, busy, no such extension, and a Dial that fails.
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
    const dialFailed = nextEvent(client, 'Hangup', startsWith('Local/nowhere@test-'));
    // Never answered: the originate fails once Dial() has.
    await client
      .originate({ Channel: 'Local/nowhere@test', Application: 'Wait', Data: '5' })
      .catch(() => undefined);
    await dialFailed;

    // Bridged by Dial(), with the list actions that describe it and a recording muted and stopped.
    await call('bridged', 'BridgeEnter', startsWith('Local/bridged@test-'));
    const [bridge] = await list({ Action: 'BridgeList' });
    await list({ Action: 'BridgeInfo', BridgeUniqueid: String(bridge?.BridgeUniqueid) });
    const channels = await list({ Action: 'CoreShowChannels' });
    const caller = String(channels.find(startsWith('Local/bridged@test-'))?.Channel);
    await client.send({ Action: 'Setvar', Channel: caller, Variable: 'NESTJS_AMI_WIRE', Value: '1' });
    await client.send({ Action: 'Setvar', Channel: caller, Variable: 'NESTJS_AMI_TICKET', Value: 'T-42' });
    await list({ Action: 'Status' });
    // With its variables: one `Variable: name=value` header each.
    await list({ Action: 'Status', Channel: caller, AllVariables: true });
    await client.send({ Action: 'MixMonitor', Channel: caller, File: `wire-${process.pid}.wav` });
    await client.send({ Action: 'MixMonitorMute', Channel: caller, Direction: 'both', State: 1 });
    await client.send({ Action: 'MixMonitorMute', Channel: caller, Direction: 'both', State: 0 });
    const stopped = nextEvent(client, 'MixMonitorStop', (event) => event.Channel === caller);
    await client.send({ Action: 'StopMixMonitor', Channel: caller });
    await stopped;
    const dtmf = nextEvent(client, 'DTMFEnd', (event) => event.Digit === '5');
    await client.send({ Action: 'PlayDTMF', Channel: caller, Digit: '5', Duration: 100 });
    await dtmf;
    await hangUp(caller, 'BridgeDestroy');

    // A queue caller answered by a member, with the member's pause, penalty and ring-in-use changes.
    const member = { Queue: 'support', Interface: 'Local/agent@test' };
    await client.send({ Action: 'QueueAdd', ...member, MemberName: 'wire-agent' });
    try {
      await client.send({ Action: 'QueuePause', ...member, Paused: true, Reason: 'lunch' });
      await client.send({ Action: 'QueuePause', ...member, Paused: false });
      await client.send({ Action: 'QueuePenalty', ...member, Penalty: 1 });
      await client.send({ Action: 'QueueMemberRingInUse', ...member, RingInUse: false });
      const connected = await call('queue', 'AgentConnect', (event) => event.Queue === 'support');
      await list({ Action: 'QueueStatus', Queue: 'support' });
      await list({ Action: 'QueueSummary', Queue: 'support' });
      await hangUp(String(connected.Channel), 'AgentComplete');
    } finally {
      await client.send({ Action: 'QueueRemove', ...member });
    }

    // AsyncAGI: commands with and without a CommandID, then the channel hung up.
    const agi = String((await call('agi', 'AsyncAGIStart')).Channel);
    for (const command of [{ CommandID: `wire-${process.pid}` }, {}]) {
      const executed = nextEvent(client, 'AsyncAGIExec', (event) => event.Channel === agi);
      await client.send({ Action: 'AGI', Channel: agi, Command: 'GET VARIABLE CHANNEL(state)', ...command });
      await executed;
    }
    await hangUp(agi, 'AsyncAGIEnd');

    // Events that need no call, and the list actions of the suites and the README.
    const userEvent = nextEvent(client, 'UserEvent', (event) => event.UserEvent === 'NestjsAmiWire');
    await client.send({ Action: 'UserEvent', UserEvent: 'NestjsAmiWire', Ticket: 42 });
    await userEvent;
    const varSet = nextEvent(client, 'VarSet', (event) => event.Variable === 'NESTJS_AMI_WIRE');
    await client.send({ Action: 'Setvar', Variable: 'NESTJS_AMI_WIRE', Value: '1' });
    await varSet;
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

    expect(wireMismatches(received, readEventTypes())).toEqual([]);
    // The comparison saw these events, not an empty stream.
    const seen = new Set(received.map((event) => event.Event));
    const expected = [
      ...['Newchannel', 'Newexten', 'Newstate', 'DialBegin', 'DialEnd', 'Hangup', 'HangupRequest'],
      ...['SoftHangupRequest', 'OriginateResponse', 'LocalBridge', 'DeviceStateChange', 'VarSet'],
      ...['NewCallerid', 'NewConnectedLine', 'BridgeCreate', 'BridgeEnter', 'BridgeLeave', 'BridgeDestroy'],
      ...['BridgeListItem', 'BridgeInfoChannel', 'BridgeInfoComplete', 'CoreShowChannel'],
      ...['CoreShowChannelsComplete', 'Status', 'StatusComplete', 'MixMonitorStart', 'MixMonitorMute'],
      ...['MixMonitorStop', 'DTMFBegin', 'DTMFEnd', 'QueueMemberAdded', 'QueueMemberPause'],
      ...['QueueMemberPenalty', 'QueueMemberRinginuse', 'QueueCallerJoin', 'AgentCalled', 'AgentConnect'],
      ...['QueueCallerLeave', 'AgentComplete', 'QueueMemberStatus', 'QueueParams', 'QueueMember'],
      ...['QueueSummary', 'QueueMemberRemoved', 'AsyncAGIStart', 'AGIExecStart', 'AGIExecEnd'],
      ...['AsyncAGIExec', 'AsyncAGIEnd', 'UserEvent', 'DBGetResponse', 'DBGetTreeResponse'],
      ...['EndpointList', 'EndpointListComplete', 'EndpointDetail', 'EndpointDetailComplete'],
      ...['DeviceStateListComplete', 'ExtensionStatus', 'ExtensionStateListComplete', 'AgentsComplete'],
    ];
    expect(expected.filter((name) => !seen.has(name))).toEqual([]);
    // The corrected headers were among them.
    expect(received.some((event) => event.Event === 'AsyncAGIExec' && event.CommandId !== undefined)).toBe(
      true,
    );
    expect(received.some((event) => event.Event === 'Status' && event.Variable !== undefined)).toBe(true);
  }, 120_000);
});
