// Every action the classic ami-io client lists can be sent (compiled by `tsc -p tsconfig.json`, never run):
// typed in Asterisk 22's spelling where its documentation still has it, as a custom action otherwise.
import type { AmiClient } from '../../lib/client.js';

export async function stillDocumented(client: AmiClient): Promise<void> {
  const channel = 'PJSIP/alice-00000001';
  await client.send({ Action: 'Login', Username: 'nestjs', Secret: 'secret' });
  await client.send({ Action: 'Logoff' });
  await client.send({ Action: 'Ping' });
  await client.send({ Action: 'Hangup', Channel: channel });
  await client.send({ Action: 'CoreShowChannels' });
  await client.send({ Action: 'CoreStatus' });
  await client.send({ Action: 'CoreSettings' });
  await client.send({ Action: 'Status', Channel: channel });
  await client.send({ Action: 'DAHDIShowChannels' });
  await client.send({ Action: 'ListCommands' });
  await client.send({ Action: 'AbsoluteTimeout', Channel: channel, Timeout: 60 });
  await client.send({ Action: 'AgentLogoff', Agent: '1001' });
  await client.send({ Action: 'Agents' });
  await client.send({ Action: 'Atxfer', Channel: channel, Exten: '200', Context: 'test' });
  await client.send({ Action: 'Command', Command: 'core show uptime' });
  await client.send({ Action: 'CreateConfig', Filename: 'new.conf' });
  await client.send({ Action: 'DAHDIDialOffhook', DAHDIChannel: 1, Number: '200' });
  await client.send({ Action: 'DAHDIDNDoff', DAHDIChannel: 1 });
  await client.send({ Action: 'DAHDIDNDon', DAHDIChannel: 1 });
  await client.send({ Action: 'DAHDIHangup', DAHDIChannel: 1 });
  await client.send({ Action: 'DAHDIRestart' });
  await client.send({ Action: 'DBDel', Family: 'crm', Key: 'ticket' });
  await client.send({ Action: 'DBDelTree', Family: 'crm' });
  await client.send({ Action: 'DBGet', Family: 'crm', Key: 'ticket' });
  await client.send({ Action: 'DBPut', Family: 'crm', Key: 'ticket', Val: '42' });
  await client.send({ Action: 'ExtensionState', Exten: '200', Context: 'test' });
  await client.send({ Action: 'GetConfig', Filename: 'extensions.conf' });
  await client.send({ Action: 'GetConfigJSON', Filename: 'extensions.conf' });
  await client.send({ Action: 'Getvar', Channel: channel, Variable: 'CRM_TICKET' });
  await client.send({ Action: 'Setvar', Channel: channel, Variable: 'CRM_TICKET', Value: 42 });
  await client.send({ Action: 'JabberSend', Jabber: 'asterisk', JID: 'alice@example.org', Message: 'hi' });
  await client.send({ Action: 'ListCategories', Filename: 'extensions.conf' });
  await client.send({ Action: 'LocalOptimizeAway', Channel: 'Local/200@test-00000001;1' });
  await client.send({ Action: 'Reload', Module: 'chan_pjsip.so' });
  await client.send({ Action: 'PlayDTMF', Channel: channel, Digit: '5' });
  await client.send({ Action: 'Park', Channel: channel });
  await client.send({ Action: 'ParkedCalls' });
  await client.send({ Action: 'ModuleCheck', Module: 'chan_pjsip' });
  await client.send({ Action: 'ModuleLoad', Module: 'chan_pjsip.so', LoadType: 'reload' });
  await client.send({ Action: 'MailboxCount', Mailbox: '1001@default' });
  await client.send({ Action: 'MailboxStatus', Mailbox: '1001@default' });
  await client.send({ Action: 'VoicemailUsersList' });
  await client.send({ Action: 'Originate', Channel: 'Local/100@test', Application: 'Wait', Data: '1' });
  await client.send({ Action: 'Redirect', Channel: channel, Context: 'test', Exten: '200', Priority: 1 });
  await client.send({ Action: 'Bridge', Channel1: channel, Channel2: 'PJSIP/bob-00000002' });
  await client.send({ Action: 'ShowDialPlan', Context: 'test' });
  await client.send({ Action: 'SendText', Channel: channel, Message: 'hello' });
  await client.send({ Action: 'QueuePause', Interface: 'PJSIP/alice', Paused: true, Queue: 'support' });
  // ami-io's QueueUnpause: QueuePause with Paused false.
  await client.send({ Action: 'QueuePause', Interface: 'PJSIP/alice', Paused: false });
  await client.send({ Action: 'QueueSummary', Queue: 'support' });
  await client.send({ Action: 'QueueStatus', Queue: 'support' });
  await client.send({ Action: 'QueueRemove', Queue: 'support', Interface: 'PJSIP/alice' });
  await client.send({ Action: 'QueueRule' });
  await client.send({ Action: 'QueueAdd', Queue: 'support', Interface: 'PJSIP/alice', Paused: false });
  await client.send({ Action: 'QueueLog', Queue: 'support', Event: 'CUSTOM', Message: 'note' });
  await client.send({ Action: 'MeetmeList', Conference: '100' });
  await client.send({ Action: 'MeetmeMute', Meetme: '100', Usernum: 1 });
  await client.send({ Action: 'MeetmeUnmute', Meetme: '100', Usernum: 1 });
  await client.send({ Action: 'ConfbridgeListRooms' });
  await client.send({ Action: 'ConfbridgeList', Conference: '100' });
  await client.send({ Action: 'ConfbridgeKick', Conference: '100', Channel: channel });
  await client.send({ Action: 'ConfbridgeLock', Conference: '100' });
  await client.send({ Action: 'ConfbridgeUnlock', Conference: '100' });
  await client.send({ Action: 'ConfbridgeMute', Conference: '100', Channel: channel });
  await client.send({ Action: 'ConfbridgeUnmute', Conference: '100', Channel: channel });
  await client.send({ Action: 'AGI', Channel: channel, Command: 'ANSWER', CommandID: 'a1' });
  await client.send({ Action: 'QueueReset', Queue: 'support' });
  await client.send({ Action: 'BlindTransfer', Channel: channel, Context: 'test', Exten: '200' });
  await client.send({ Action: 'BridgeList' });
}

export async function goneFromAsterisk22(client: AmiClient): Promise<void> {
  // Still sendable to the older PBXs that have them, as custom actions (docs/migration.md maps each to its replacement).
  const channel = 'SIP/alice-00000001';
  await client.send({ Action: 'SIPpeers' });
  await client.send({ Action: 'SIPpeerstatus', Peer: 'alice' });
  await client.send({ Action: 'SIPshowpeer', Peer: 'alice' });
  await client.send({ Action: 'SIPqualifypeer', Peer: 'alice' });
  await client.send({ Action: 'SIPshowregistry' });
  await client.send({ Action: 'Monitor', Channel: channel, File: 'call', Format: 'wav', Mix: true });
  await client.send({ Action: 'ChangeMonitor', Channel: channel, File: 'other' });
  await client.send({ Action: 'PauseMonitor', Channel: channel });
  await client.send({ Action: 'UnpauseMonitor', Channel: channel });
  await client.send({ Action: 'StopMonitor', Channel: channel });
  await client.send({ Action: 'ModuleReload', Module: 'chan_sip.so' });
  await client.send({ Action: 'ModuleUnload', Module: 'chan_sip.so' });
  await client.send({ Action: 'Queues' });
}
