import { AmiFrameParser, type AmiMessage, createHeaderRecord } from '../../../lib/client.js';
import { buildGeneric } from '../../../lib/protocol/header-shapes.js';
import { BANNER } from './parse.js';

/** The messages themselves (not copies), as the client gets them. */
function parseRaw(text: string): AmiMessage[] {
  const messages: AmiMessage[] = [];
  const parser = new AmiFrameParser({
    onBanner: () => undefined,
    onMessage: (message) => messages.push(message),
    onProtocolError: (error) => {
      throw error;
    },
  });
  parser.push(Buffer.from(BANNER + text, 'utf8'));
  return messages;
}

const RECORD_PROTOTYPE = Object.getPrototypeOf(createHeaderRecord());

describe('AmiFrameParser: messages built from known header sequences', () => {
  const frame =
    'Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/a-1\r\n' +
    'ChanVariable: CAMPAIGN=x\r\nChanVariable: LEAD=7\r\nUniqueid: 1.1\r\n\r\n';

  it('gives the same headers, in the same order, as building them one by one', () => {
    const [first, second, third] = parseRaw(frame + frame + frame);
    const names = ['Event', 'Privilege', 'Channel', 'ChanVariable', 'ChanVariable', 'Uniqueid'];
    const values = ['Newchannel', 'call,all', 'PJSIP/a-1', 'CAMPAIGN=x', 'LEAD=7', '1.1'];
    const generic = buildGeneric(names, values, names.length);
    for (const message of [first, second, third]) {
      expect(Object.keys(message)).toEqual(Object.keys(generic));
      expect({ ...message }).toEqual({ ...generic });
      expect(message.ChanVariable).toEqual(['CAMPAIGN=x', 'LEAD=7']);
      expect(Object.getPrototypeOf(message)).toBe(RECORD_PROTOTYPE);
    }
    // Repeated headers are fresh arrays: changing one message's never touches another's.
    (second.ChanVariable as string[]).push('extra');
    expect(third.ChanVariable).toEqual(['CAMPAIGN=x', 'LEAD=7']);
  });

  it('keeps __proto__, constructor and toString as plain headers on every path', () => {
    const odd = 'Event: Odd\r\n__proto__: a\r\nconstructor: b\r\ntoString: c\r\n\r\n';
    const proto = '__proto__';
    for (const message of parseRaw(odd + odd)) {
      expect(Object.getPrototypeOf(message)).toBe(RECORD_PROTOTYPE);
      expect(Object.hasOwn(message, proto)).toBe(true);
      expect(message[proto]).toBe('a');
      expect(message.constructor).toBe('b');
      expect(message.toString).toBe('c');
    }
  });

  it('treats header names as data, never as code', () => {
    const name = `x"]; globalThis.amiInjected = 1; this["y`;
    const hostile = `Event: A\r\n${name}: v\r\nback\\slash: w\r\n\r\n`;
    const [first, second] = parseRaw(hostile + hostile);
    for (const message of [first, second]) {
      expect(message[name]).toBe('v');
      expect(message['back\\slash']).toBe('w');
    }
    expect((globalThis as Record<string, unknown>).amiInjected).toBeUndefined();
  });

  it('tells apart sequences that share a beginning, and names that begin alike', () => {
    const messages = parseRaw(
      'Event: A\r\nChannel: c\r\nChannelState: 6\r\n\r\n' +
        'Event: A\r\nChannelState: 6\r\nChannel: c\r\n\r\n' +
        'Event: A\r\nChannel:c\r\n\r\n' +
        'Event: A\r\nChannel: c\r\nChannelState: 6\r\n\r\n',
    );
    expect(messages.map((message) => ({ ...message }))).toEqual([
      { Event: 'A', Channel: 'c', ChannelState: '6' },
      { Event: 'A', ChannelState: '6', Channel: 'c' },
      { Event: 'A', Channel: 'c' },
      { Event: 'A', Channel: 'c', ChannelState: '6' },
    ]);
    expect(Object.keys(messages[1])).toEqual(['Event', 'ChannelState', 'Channel']);
  });

  it('tells apart names of the same length that differ in any one byte, first or last', () => {
    const messages = parseRaw(
      'Event: A\r\nExten: 1\r\n\r\n' +
        'Event: A\r\nExtra: 2\r\n\r\n' +
        'Event: A\r\nXxten: 3\r\n\r\n' +
        'Event: A\r\nExtem: 4\r\n\r\n' +
        'Event: A\r\nExten: 5\r\n\r\n',
    );
    expect(messages.map((message) => ({ ...message }))).toEqual([
      { Event: 'A', Exten: '1' },
      { Event: 'A', Extra: '2' },
      { Event: 'A', Xxten: '3' },
      { Event: 'A', Extem: '4' },
      { Event: 'A', Exten: '5' },
    ]);
  });

  it('gives a header its previous value again only when every byte is the same', () => {
    const values = [
      'Up',
      'Up',
      'Uq',
      'Vp',
      'Up',
      'U',
      'Upp',
      '',
      'Up',
      '<unknown>',
      '<unknowN>',
      '<unknown>',
    ];
    const long = ['dialer-outbound', 'dialer-outbound', 'dialer-outbouNd', 'dialer-outbound'];
    const text = [...values, ...long].map((value) => `Event: S\r\nState: ${value}\r\n\r\n`).join('');
    const messages = parseRaw(text);
    expect(messages.map((message) => message.State)).toEqual([...values, ...long]);
  });

  it('stays correct once a server has invented more header sets than it keeps', () => {
    let text = '';
    for (let i = 0; i < 600; i++) text += `Event: Gen\r\nH${i}: ${i}\r\nTail: t\r\n\r\n`;
    text += `Event: Gen\r\nH1: 1\r\nTail: t\r\n\r\n`;
    const messages = parseRaw(text);
    expect(messages).toHaveLength(601);
    messages.forEach((message, i) => {
      const n = i === 600 ? 1 : i;
      expect({ ...message }).toEqual({ Event: 'Gen', [`H${n}`]: String(n), Tail: 't' });
    });
  });

  it('builds messages longer than the known sequences allow', () => {
    let body = 'Event: Long\r\n';
    for (let i = 0; i < 300; i++) body += 'Output: line\r\n';
    const [message] = parseRaw(`${body}\r\n`);
    expect(message.Output).toHaveLength(300);
  });
});

describe('AmiFrameParser: decoding a large read in segments', () => {
  const names = ['Müller, Jürgen', 'ACME', 'Nowak Łukasz', 'Zoë 🎧', 'PLAIN'];

  it('reads every UTF-8 name right wherever the segments are cut', () => {
    let text = '';
    for (let i = 0; i < 2_000; i++)
      text += `Event: Newchannel\r\nCallerIDName: ${names[i % 5]}\r\nIndex: ${i}\r\n\r\n`;
    const messages = parseRaw(text);
    expect(messages).toHaveLength(2_000);
    messages.forEach((message, i) => {
      expect(message.CallerIDName).toBe(names[i % 5]);
      expect(message.Index).toBe(String(i));
    });
  });

  it('keeps a line longer than a segment whole, non-ASCII characters included', () => {
    const long = `${'a'.repeat(9_000)}é${'b'.repeat(9_000)}Ł`;
    const [message, next] = parseRaw(`Event: Long\r\nValue: ${long}\r\n\r\nEvent: Next\r\n\r\n`);
    expect(message.Value).toBe(long);
    expect(next.Event).toBe('Next');
  });
});
