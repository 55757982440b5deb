import type { AmiEvent } from '../../../../lib/client.js';

/**
 * Originates of Local/<exten>@calls (test/asterisk/etc/extensions.conf) with ChannelId `id` and
 * OtherChannelId `id-2`, as Asterisk 22.10 reported them, in their order (Newexten, NewCallerid and
 * NewConnectedLine left out). `1` is the originated half, `2` the half running the extension, `D` a
 * DialBegin/DialState/DialEnd of the Originate's own dial (Dest fields only), `R` the OriginateResponse.
 */
type Step = [event: string, who: '1' | '2' | 'D' | 'R', fields?: Record<string, string>];

const hangup = (cause: string, text: string) => ({ Cause: cause, 'Cause-txt': text });

export const RECORDED: Record<string, Step[]> = {
  talk: [
    ['Newchannel', '1', { ChannelState: '0' }],
    ['Newchannel', '2', { ChannelState: '4' }],
    ['NewCallerid', '1', { CallerIDNum: '1001' }],
    ['DialBegin', 'D', { DialString: 'talk@calls' }],
    ['Newstate', '2', { ChannelState: '6', ChannelStateDesc: 'Up' }],
    ['Newstate', '1', { ChannelState: '6', ChannelStateDesc: 'Up' }],
    ['DialEnd', 'D', { DialStatus: 'ANSWER' }],
    ['OriginateResponse', 'R', { Response: 'Success', Reason: '4' }],
    ['Hangup', '1', hangup('16', 'Normal Clearing')],
    ['Hangup', '2', hangup('16', 'Normal Clearing')],
  ],
  busy: [
    ['Newchannel', '1', { ChannelState: '0' }],
    ['Newchannel', '2', { ChannelState: '4' }],
    ['DialBegin', 'D', { DialString: 'busy@calls' }],
    ['Newstate', '2', { ChannelState: '7', ChannelStateDesc: 'Busy' }],
    ['DialEnd', 'D', { DialStatus: 'BUSY' }],
    ['OriginateResponse', 'R', { Response: 'Failure', Reason: '5' }],
    ['Hangup', '1', hangup('0', 'Unknown')],
    ['Hangup', '2', hangup('17', 'User busy')],
  ],
  congestion: [
    ['Newchannel', '1', { ChannelState: '0' }],
    ['Newchannel', '2', { ChannelState: '4' }],
    ['DialBegin', 'D', { DialString: 'congestion@calls' }],
    ['Newstate', '2', { ChannelState: '7', ChannelStateDesc: 'Busy' }],
    ['OriginateResponse', 'R', { Response: 'Failure', Reason: '8' }],
    ['DialEnd', 'D', { DialStatus: 'CONGESTION' }],
    ['Hangup', '1', hangup('0', 'Unknown')],
    ['Hangup', '2', hangup('34', 'Circuit/channel congestion')],
  ],
  noanswer: [
    ['Newchannel', '1', { ChannelState: '0' }],
    ['Newchannel', '2', { ChannelState: '4' }],
    ['DialBegin', 'D', { DialString: 'noanswer@calls' }],
    ['Newstate', '1', { ChannelState: '5', ChannelStateDesc: 'Ringing' }],
    ['DialState', 'D', { DialStatus: 'RINGING' }],
    ['Hangup', '2', hangup('19', 'User alerting, no answer')],
    ['OriginateResponse', 'R', { Response: 'Failure', Reason: '3' }],
    ['Hangup', '1', hangup('19', 'User alerting, no answer')],
  ],
  reject: [
    ['Newchannel', '1', { ChannelState: '0' }],
    ['Newchannel', '2', { ChannelState: '4' }],
    ['DialBegin', 'D', { DialString: 'reject@calls' }],
    ['Hangup', '2', hangup('21', 'Call Rejected')],
    ['DialEnd', 'D', { DialStatus: 'NOANSWER' }],
    ['OriginateResponse', 'R', { Response: 'Failure', Reason: '0' }],
    ['Hangup', '1', hangup('21', 'Call Rejected')],
  ],
  // Local channel to an extension that does not exist; seen both with the OriginateResponse before and after the last Hangup.
  missingExtenLate: [
    ['Newchannel', '1', { ChannelState: '0' }],
    ['Newchannel', '2', { ChannelState: '4' }],
    ['Hangup', '2', hangup('0', 'Unknown')],
    ['Hangup', '1', hangup('0', 'Unknown')],
    ['OriginateResponse', 'R', { Response: 'Failure', Reason: '0' }],
  ],
};

/** The recorded call `name` as events of the call whose ChannelId is `id`. */
export function recordedCall(name: string, id: string): AmiEvent[] {
  const exten = name.replace(/Late$/, '');
  return (RECORDED[name] ?? []).map(([event, who, fields = {}]) => {
    const half = (n: '1' | '2') => ({
      Channel: `Local/${exten}@calls-00000001;${n}`,
      Uniqueid: n === '1' ? id : `${id}-2`,
      Linkedid: id,
      CallerIDNum: '1001',
      Exten: exten,
      Context: 'calls',
    });
    if (who === 'R') return { Event: event, Uniqueid: id, Channel: `Local/${exten}@calls`, ...fields };
    if (who === 'D') {
      const dest = Object.fromEntries(Object.entries(half('1')).map(([key, value]) => [`Dest${key}`, value]));
      return { Event: event, ...dest, ...fields };
    }
    return { Event: event, ...half(who), ...fields };
  });
}
