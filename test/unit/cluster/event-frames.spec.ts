import { EventFrameReader, eventFrame } from '../../../lib/cluster/event-frames.js';
import { AmiFrameParser } from '../../../lib/protocol/frame-parser.js';
import { RECORDED, recordedCall } from '../calls/support/recorded-calls.js';

/** What the client's parser makes of `wire` (a banner first), as the leader's client would. */
function parsed(wire: string): object[] {
  const messages: object[] = [];
  const parser = new AmiFrameParser({
    onBanner: () => undefined,
    onMessage: (message) => messages.push(message),
    onProtocolError: (error) => {
      throw error;
    },
  });
  parser.push(Buffer.from(`Asterisk Call Manager/11.0.0\r\n${wire}`));
  return messages;
}

describe('eventFrame and EventFrameReader', () => {
  it('give back the events the leader parsed, header for header, whatever the values hold', () => {
    const wire =
      'Event: VarSet\r\nChannel: PJSIP/a-1\r\nVariable: X\r\nValue:  two spaces: and a colon\r\n\r\n' +
      'Event: Newchannel\r\nCallerIDName: Nowak Łukasz\r\nChanVariable: A=1\r\nChanVariable: B=2\r\nEmpty:\r\n\r\n' +
      'Event: UserEvent\r\nUserEvent: X\r\nData: a\rb\r\r\nnot a header\r\n\r\n';
    const events = parsed(wire);
    expect(events).toHaveLength(3);
    const frames = events.map((event) => eventFrame(event as never)).join('');
    expect(new EventFrameReader().read(frames)).toEqual(events);
  });

  it('round-trips the events of calls recorded on Asterisk 22, packed 32 to an entry', () => {
    const events = Object.keys(RECORDED).flatMap((name, i) => recordedCall(name, `call-${i}`));
    expect(events.length).toBeGreaterThan(32);
    const reader = new EventFrameReader();
    for (let i = 0; i < events.length; i += 32) {
      const pack = events.slice(i, i + 32);
      expect(reader.read(pack.map((event) => eventFrame(event)).join(''))).toEqual(pack);
    }
  });

  it('answers null for text that is not whole frames, then reads the next entry afresh', () => {
    const reader = new EventFrameReader();
    expect(reader.read('Event: Hangup\r\nChannel: x\r\n')).toBeNull();
    expect(reader.read('Event: Hangup')).toBeNull();
    expect(reader.read('Response: Follows\r\nPrivilege: Command\r\n')).toBeNull();
    expect(reader.read('Event: Hangup\r\nChannel: y\r\n\r\n')).toEqual([{ Event: 'Hangup', Channel: 'y' }]);
  });
});
