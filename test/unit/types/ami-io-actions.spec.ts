import { AMI_ACTION_NAMES, type AmiActionName } from '../../../lib/client.js';

// Every action of the classic ami-io client, by its class name, checked against the actions Asterisk 22
// documents (the generated AMI_ACTION_NAMES). The table of replacements in docs/migration.md is this table.

/** Still documented: the Asterisk 22 spelling to send (typed). */
const STILL_DOCUMENTED: Record<string, AmiActionName> = {
  Login: 'Login',
  Logoff: 'Logoff',
  Ping: 'Ping',
  Hangup: 'Hangup',
  CoreShowChannels: 'CoreShowChannels',
  CoreStatus: 'CoreStatus',
  CoreSettings: 'CoreSettings',
  Status: 'Status',
  DahdiShowChannels: 'DAHDIShowChannels',
  ListCommands: 'ListCommands',
  AbsoluteTimeout: 'AbsoluteTimeout',
  AgentLogoff: 'AgentLogoff',
  Agents: 'Agents',
  AttendedTransfer: 'Atxfer',
  Command: 'Command',
  CreateConfig: 'CreateConfig',
  DahdiDialOffHook: 'DAHDIDialOffhook',
  DahdiDndOff: 'DAHDIDNDoff',
  DahdiDndOn: 'DAHDIDNDon',
  DahdiHangup: 'DAHDIHangup',
  DahdiRestart: 'DAHDIRestart',
  DbDel: 'DBDel',
  DbDeltree: 'DBDelTree',
  DbGet: 'DBGet',
  DbPut: 'DBPut',
  ExtensionState: 'ExtensionState',
  GetConfig: 'GetConfig',
  GetConfigJson: 'GetConfigJSON',
  GetVar: 'Getvar',
  SetVar: 'Setvar',
  JabberSend: 'JabberSend',
  ListCategories: 'ListCategories',
  LocalOptimizeAway: 'LocalOptimizeAway',
  Reload: 'Reload',
  PlayDtmf: 'PlayDTMF',
  Park: 'Park',
  ParkedCalls: 'ParkedCalls',
  ModuleCheck: 'ModuleCheck',
  ModuleLoad: 'ModuleLoad',
  MailboxCount: 'MailboxCount',
  MailboxStatus: 'MailboxStatus',
  VoicemailUsersList: 'VoicemailUsersList',
  Originate: 'Originate',
  Redirect: 'Redirect',
  Bridge: 'Bridge',
  ShowDialPlan: 'ShowDialPlan',
  SendText: 'SendText',
  QueuePause: 'QueuePause',
  QueueUnpause: 'QueuePause',
  QueueSummary: 'QueueSummary',
  QueueStatus: 'QueueStatus',
  QueueRemove: 'QueueRemove',
  QueueRule: 'QueueRule',
  QueueAdd: 'QueueAdd',
  QueueLog: 'QueueLog',
  MeetmeList: 'MeetmeList',
  MeetmeMute: 'MeetmeMute',
  MeetmeUnmute: 'MeetmeUnmute',
  ConfbridgeListRooms: 'ConfbridgeListRooms',
  ConfbridgeList: 'ConfbridgeList',
  ConfbridgeKick: 'ConfbridgeKick',
  ConfbridgeLock: 'ConfbridgeLock',
  ConfbridgeUnlock: 'ConfbridgeUnlock',
  ConfbridgeMute: 'ConfbridgeMute',
  ConfbridgeUnmute: 'ConfbridgeUnmute',
  AGI: 'AGI',
  QueueReset: 'QueueReset',
  BlindTransfer: 'BlindTransfer',
  BridgeList: 'BridgeList',
};

/** Gone from Asterisk 22's documentation: the name ami-io sent, and what replaces it. */
const GONE: Record<string, { sent: string; replacedBy: AmiActionName[] }> = {
  SipPeers: { sent: 'SIPpeers', replacedBy: ['PJSIPShowEndpoints'] },
  SIPpeerstatus: { sent: 'SIPpeerstatus', replacedBy: ['PJSIPShowEndpoints', 'PJSIPShowContacts'] },
  SipShowPeer: { sent: 'SIPshowpeer', replacedBy: ['PJSIPShowEndpoint'] },
  SipQualifyPeer: { sent: 'SIPqualifypeer', replacedBy: ['PJSIPQualify'] },
  SipShowRegistry: { sent: 'SIPshowregistry', replacedBy: ['PJSIPShowRegistrationsOutbound'] },
  Monitor: { sent: 'Monitor', replacedBy: ['MixMonitor'] },
  ChangeMonitor: { sent: 'ChangeMonitor', replacedBy: ['StopMixMonitor', 'MixMonitor'] },
  PauseMonitor: { sent: 'PauseMonitor', replacedBy: ['MixMonitorMute'] },
  UnpauseMonitor: { sent: 'UnpauseMonitor', replacedBy: ['MixMonitorMute'] },
  StopMonitor: { sent: 'StopMonitor', replacedBy: ['StopMixMonitor'] },
  ModuleReload: { sent: 'ModuleReload', replacedBy: ['ModuleLoad'] },
  ModuleUnload: { sent: 'ModuleUnload', replacedBy: ['ModuleLoad'] },
  Queues: { sent: 'Queues', replacedBy: ['QueueSummary', 'QueueStatus'] },
};

const documented = new Set<string>(AMI_ACTION_NAMES);
const documentedLowerCase = new Set(AMI_ACTION_NAMES.map((name) => name.toLowerCase()));

describe("ami-io's actions on Asterisk 22", () => {
  it('covers the 82 actions ami-io lists, each once', () => {
    const names = [...Object.keys(STILL_DOCUMENTED), ...Object.keys(GONE)];
    expect(names).toHaveLength(82);
    expect(new Set(names).size).toBe(82);
  });

  it.each(Object.entries(STILL_DOCUMENTED))('types %s as %s', (_amiIo, asterisk) => {
    expect(documented.has(asterisk)).toBe(true);
  });

  it.each(Object.entries(GONE))(
    '%s is no longer documented, and its replacements are',
    (_amiIo, { sent, replacedBy }) => {
      expect(documentedLowerCase.has(sent.toLowerCase())).toBe(false);
      for (const replacement of replacedBy) expect(documented.has(replacement)).toBe(true);
    },
  );
});
