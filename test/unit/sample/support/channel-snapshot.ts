/**
 * The channel fields Asterisk 22 sends, for one channel at one moment; `Linkedid` is the channel's own
 * Uniqueid unless `fields` says otherwise.
 */
export const channelSnapshot = (name: string, uniqueid: string, fields: Record<string, string> = {}) => ({
  Channel: name,
  ChannelState: '6',
  ChannelStateDesc: 'Up',
  CallerIDNum: '1001',
  CallerIDName: 'Alice',
  ConnectedLineNum: '<unknown>',
  ConnectedLineName: '<unknown>',
  Language: 'en',
  AccountCode: '',
  Context: 'test',
  Exten: '100',
  Priority: '1',
  Uniqueid: uniqueid,
  Linkedid: uniqueid,
  ...fields,
});
