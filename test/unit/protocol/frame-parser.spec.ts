import {
  AmiFrameParser,
  type AmiMessage,
  AmiProtocolError,
  firstHeaderValue,
  headerValues,
  isEvent,
} from '../../../lib/client.js';
import { BANNER, newParser, parseChunks, parseText } from './parse.js';

describe('AmiFrameParser: line endings', () => {
  it('accepts \\r\\n and bare \\n, even mixed in one message', () => {
    const result = parseText(`${BANNER}Response: Success\nActionID: 1\r\nMessage: ok\n\r\n`);
    expect(result.messages).toEqual([{ Response: 'Success', ActionID: '1', Message: 'ok' }]);
  });

  it('ignores the stray extra line ending of \\r\\n\\n between messages', () => {
    const result = parseText(`${BANNER}Event: A\r\nX: 1\r\n\r\n\nEvent: B\r\n\r\n\r\n\r\nEvent: C\r\n\r\n`);
    expect(result.messages).toEqual([{ Event: 'A', X: '1' }, { Event: 'B' }, { Event: 'C' }]);
    expect(result.errors).toEqual([]);
  });

  it('reads `Key:value` without a space, and keeps colons inside values', () => {
    const result = parseText(`${BANNER}Event: X\r\nKey:value\r\nData: a:b: c\r\nEmpty:\r\n\r\n`);
    expect(result.messages).toEqual([{ Event: 'X', Key: 'value', Data: 'a:b: c', Empty: '' }]);
  });

  it('keeps a line without a colon under its own text rather than dropping it', () => {
    const result = parseText(`${BANNER}Event: X\r\nnot a header\r\n\r\n`);
    expect(result.messages).toEqual([{ Event: 'X', 'not a header': '' }]);
  });

  it('holds a message back until its blank line arrives', () => {
    const { parser, result } = newParser();
    parser.push(Buffer.from(`${BANNER}Event: A\r\nX: 1\r\n`));
    expect(result.messages).toEqual([]);
    parser.push(Buffer.from('\r\n'));
    expect(result.messages).toEqual([{ Event: 'A', X: '1' }]);
  });
});

describe('AmiFrameParser: repeated headers', () => {
  it('keeps every value of a repeated header, in order', () => {
    const result = parseText(
      `${BANNER}Response: Success\r\nActionID: 7\r\nMessage: Command output follows\r\n` +
        'Output: first\r\nOutput: second\r\nOutput: third\r\n\r\n' +
        'Event: VarSet\r\nChanVariable: a=1\r\nChanVariable: b=2\r\nVariable: X=1\r\nVariable: Y=2\r\nVariable: Z=3\r\n\r\n' +
        'Event: TestEvent\r\nState: first\r\nType: t\r\nState: second\r\n\r\n',
    );
    const [command, varSet, testEvent] = result.messages;
    expect(command.Output).toEqual(['first', 'second', 'third']);
    expect(varSet.ChanVariable).toEqual(['a=1', 'b=2']);
    expect(varSet.Variable).toEqual(['X=1', 'Y=2', 'Z=3']);
    expect(testEvent).toEqual({ Event: 'TestEvent', State: ['first', 'second'], Type: 't' });
  });

  it('a repeated Event, Response or ActionID is named by its first value, every value under <Name>:all', () => {
    const userEvent =
      'Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: Boom\r\nActionID: XYZ\r\nEvent: Surprise\r\n' +
      'Response: Error\r\nActionID: ours-1\r\nEvent: Third\r\nResponse: Goodbye\r\nOutput: a\r\nOutput: b\r\n';
    const expected = {
      Event: 'UserEvent',
      Privilege: 'user,all',
      UserEvent: 'Boom',
      ActionID: 'XYZ',
      'Event:all': ['UserEvent', 'Surprise', 'Third'],
      Response: 'Error',
      'ActionID:all': ['XYZ', 'ours-1'],
      'Response:all': ['Error', 'Goodbye'],
      Output: ['a', 'b'],
    };
    // Once through the record compiled for the header sequence, once more (the compiled record again),
    // and once the generic way: a name too long for the trie of shapes comes first.
    const long = `${'L'.repeat(300)}: x\r\n`;
    const result = parseText(`${BANNER}${userEvent}\r\n${userEvent}\r\n${long}${userEvent}\r\n`);
    const [compiled, again, generic] = result.messages;
    for (const message of [compiled, again]) {
      expect(message).toEqual(expected);
      expect(Object.keys(message)).toEqual(Object.keys(expected));
    }
    expect(generic).toEqual({ [long.slice(0, 300)]: 'x', ...expected });
    expect(Object.keys(generic)).toEqual([long.slice(0, 300), ...Object.keys(expected)]);
    expect(headerValues(compiled as AmiMessage, 'Event')).toEqual(['UserEvent', 'Surprise', 'Third']);
    expect(headerValues(generic as AmiMessage, 'ActionID')).toEqual(['XYZ', 'ours-1']);
    expect(headerValues(compiled as AmiMessage, 'Privilege')).toEqual(['user,all']);
  });

  it('headerValues and firstHeaderValue read single, repeated and absent headers alike', () => {
    const [message] = parseText(`${BANNER}Event: X\r\nOne: 1\r\nMany: a\r\nMany: b\r\n\r\n`)
      .messages as AmiMessage[];
    expect(headerValues(message, 'One')).toEqual(['1']);
    expect(headerValues(message, 'Many')).toEqual(['a', 'b']);
    expect(headerValues(message, 'None')).toEqual([]);
    expect(firstHeaderValue(message, 'Many')).toBe('a');
    expect(firstHeaderValue(message, 'None')).toBeUndefined();
  });

  it('stores headers named like Object.prototype members as plain headers', () => {
    const messages: AmiMessage[] = [];
    const parser = new AmiFrameParser({
      onBanner: () => undefined,
      onMessage: (message) => messages.push(message),
      onProtocolError: (error) => {
        throw error;
      },
    });
    parser.push(Buffer.from(`${BANNER}Event: X\r\n__proto__: p\r\nconstructor: c\r\ntoString: t\r\n\r\n`));
    expect(messages).toHaveLength(1);
    const proto = '__proto__';
    expect(messages[0][proto]).toBe('p');
    expect(messages[0].constructor).toBe('c');
    expect(messages[0].toString).toBe('t');
  });
});

describe('AmiFrameParser: classification', () => {
  it('classifies by Event first: an OriginateResponse is an event that also carries Response', () => {
    const [message] = parseText(
      `${BANNER}Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: 9\r\nResponse: Success\r\n` +
        'Channel: Local/100@test-00000000;1\r\nReason: 4\r\n\r\n',
    ).messages as AmiMessage[];
    expect(isEvent(message)).toBe(true);
    expect(message.Event).toBe('OriginateResponse');
    expect(message.Response).toBe('Success');
    expect(message.ActionID).toBe('9');
  });

  it('does not read an event carrying `Response: Follows` as a legacy command body', () => {
    const result = parseText(
      `${BANNER}Event: Odd\r\nResponse: Follows\r\nKey: value\r\n\r\nEvent: Next\r\n\r\n`,
    );
    expect(result.messages).toEqual([{ Event: 'Odd', Response: 'Follows', Key: 'value' }, { Event: 'Next' }]);
  });

  it('a response is not an event', () => {
    const [message] = parseText(`${BANNER}Response: Error\r\nMessage: Permission denied\r\n\r\n`)
      .messages as AmiMessage[];
    expect(isEvent(message)).toBe(false);
  });
});

describe('AmiFrameParser: legacy Command output (Response: Follows)', () => {
  const head = 'Response: Follows\r\nPrivilege: Command\r\nActionID: 5\r\n';

  it('reads raw body lines, blank lines included, until the marker on its own line', () => {
    const result = parseText(
      `${BANNER}${head}line one\n\nline: three\n--END COMMAND--\r\n\r\nEvent: After\r\n\r\n`,
    );
    expect(result.messages).toEqual([
      {
        Response: 'Follows',
        Privilege: 'Command',
        ActionID: '5',
        Output: ['line one', '', 'line: three'],
      },
      { Event: 'After' },
    ]);
  });

  it('reads the marker glued to the last output line', () => {
    const result = parseText(`${BANNER}${head}first\nlast--END COMMAND--\r\n\r\n`);
    expect(result.messages[0].Output).toEqual(['first', 'last']);
  });

  it('reads an empty body', () => {
    const result = parseText(`${BANNER}${head}--END COMMAND--\r\n\r\nEvent: After\r\n\r\n`);
    expect(result.messages).toEqual([
      { Response: 'Follows', Privilege: 'Command', ActionID: '5' },
      { Event: 'After' },
    ]);
  });

  it('reads a single output line as one Output value', () => {
    const result = parseText(`${BANNER}${head}only line\n--END COMMAND--\r\n\r\n`);
    expect(result.messages[0].Output).toBe('only line');
  });
});

describe('AmiFrameParser: banner', () => {
  it.each([
    ['Asterisk Call Manager/11.0.0', '11.0.0'],
    ['Asterisk Call Manager/2.10.6', '2.10.6'],
    ['Asterisk Call Manager Proxy/1.0', '1.0'],
  ])('accepts %j and reports version %j', (line, version) => {
    const result = parseText(`${line}\r\nEvent: X\r\n\r\n`);
    expect(result.banners).toEqual([version]);
    expect(result.messages).toEqual([{ Event: 'X' }]);
    expect(result.errors).toEqual([]);
  });

  it('accepts a banner cut across chunks', () => {
    const result = parseChunks([
      Buffer.from('Asterisk Call Man'),
      Buffer.from('ager/11.0.0\r'),
      Buffer.from('\n'),
    ]);
    expect(result.banners).toEqual(['11.0.0']);
  });

  it.each([
    'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13',
    'HTTP/1.1 400 Bad Request',
    '220 mail.example.com ESMTP Postfix',
    'asterisk call manager/11.0.0',
    'Asterisk Call Manager',
    '',
  ])('refuses %j with one AmiProtocolError, then ignores everything', (line) => {
    const { parser, result } = newParser();
    parser.push(Buffer.from(`${line}\r\nResponse: Success\r\n\r\n`));
    parser.push(Buffer.from('Event: Later\r\n\r\n'));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(AmiProtocolError);
    expect(result.errors[0].message).toMatch(/not an AMI server/);
    expect(result.banners).toEqual([]);
    expect(result.messages).toEqual([]);
  });

  it('refuses a first line that never ends (binary garbage) once it passes 1024 characters', () => {
    const { parser, result } = newParser();
    parser.push(Buffer.alloc(1000, 0x41));
    expect(result.errors).toEqual([]);
    parser.push(Buffer.alloc(100, 0x41));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(AmiProtocolError);
  });
});

describe('AmiFrameParser: limits', () => {
  const event = (size: number) => `Event: Big\r\nData: ${'x'.repeat(size)}\r\n\r\n`;

  it('accepts a message up to maxFrameSize characters and refuses the next size up', () => {
    // `Event: Big\r\n` (12) + `Data: ` (6) + payload + `\r\n` (2) + `\r\n` (2).
    const fits = parseText(`${BANNER}${event(1000 - 22)}`, { maxFrameSize: 1000 });
    expect(fits.errors).toEqual([]);
    expect(fits.messages).toHaveLength(1);
    const over = parseText(`${BANNER}${event(1000 - 21)}`, { maxFrameSize: 1000 });
    expect(over.messages).toEqual([]);
    expect(over.errors).toHaveLength(1);
    expect(over.errors[0]).toBeInstanceOf(AmiProtocolError);
    expect(over.errors[0].message).toMatch(/larger than 1000/);
  });

  it('refuses an endless line before it ends, and keeps nothing of it', () => {
    const { parser, result } = newParser('utf8', { maxFrameSize: 4096 });
    parser.push(Buffer.from(`${BANNER}Event: Endless\r\nData: `));
    for (let chunk = 0; chunk < 100 && result.errors.length === 0; chunk++)
      parser.push(Buffer.alloc(512, 0x78));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(AmiProtocolError);
    parser.push(Buffer.from('\r\n\r\nEvent: After\r\n\r\n'));
    expect(result.messages).toEqual([]);
    expect(result.errors).toHaveLength(1);
  });

  it('refuses an endless message of short lines', () => {
    const { parser, result } = newParser('utf8', { maxFrameSize: 4096 });
    parser.push(Buffer.from(`${BANNER}Event: Endless\r\n`));
    for (let line = 0; line < 1000 && result.errors.length === 0; line++)
      parser.push(Buffer.from('Key: value\r\n'));
    expect(result.errors).toHaveLength(1);
    expect(result.messages).toEqual([]);
  });

  it('counts frame size per message: many small messages never trip the cap', () => {
    const stream = BANNER + 'Event: Small\r\nKey: value\r\n\r\n'.repeat(1000);
    const result = parseText(stream, { maxFrameSize: 100 });
    expect(result.errors).toEqual([]);
    expect(result.messages).toHaveLength(1000);
  });

  it('accepts maxHeaders header lines and refuses one more', () => {
    const lines = (count: number) =>
      Array.from({ length: count }, (_, index) => `H${index}: ${index}\r\n`).join('');
    const fits = parseText(`${BANNER}${lines(10)}\r\n`, { maxHeaders: 10 });
    expect(fits.errors).toEqual([]);
    expect(Object.keys(fits.messages[0])).toHaveLength(10);
    const over = parseText(`${BANNER}${lines(11)}\r\n`, { maxHeaders: 10 });
    expect(over.messages).toEqual([]);
    expect(over.errors).toHaveLength(1);
    expect(over.errors[0].message).toMatch(/more than 10 headers/);
  });

  it('counts legacy Command output lines as headers', () => {
    const body = Array.from({ length: 20 }, (_, index) => `line ${index}`).join('\n');
    const result = parseText(
      `${BANNER}Response: Follows\r\nPrivilege: Command\r\n${body}\n--END COMMAND--\r\n\r\n`,
      {
        maxHeaders: 10,
      },
    );
    expect(result.errors).toHaveLength(1);
    expect(result.messages).toEqual([]);
  });

  it('stays failed when the header over the cap is `Response: Follows`', () => {
    const result = parseText(
      `${BANNER}ActionID: 1\r\nResponse: Follows\r\nbody\n--END COMMAND--\r\n\r\nEvent: After\r\n\r\n`,
      { maxHeaders: 1 },
    );
    expect(result.errors).toHaveLength(1);
    expect(result.messages).toEqual([]);
  });

  it('stays failed when the cap is crossed by an output line glued to the end marker', () => {
    const result = parseText(
      `${BANNER}Response: Follows\r\nPrivilege: Command\r\nlast--END COMMAND--\r\n\r\nEvent: After\r\n\r\n`,
      { maxHeaders: 2 },
    );
    expect(result.errors).toHaveLength(1);
    expect(result.messages).toEqual([]);
  });
});

describe('AmiFrameParser: encodings', () => {
  it('decodes latin1 bytes as latin1', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${BANNER}Event: Newchannel\r\nCallerIDName: `, 'latin1'),
      Buffer.from([0x5a, 0x6f, 0xeb, 0x20, 0xc5]), // "Zoë Å" in latin1
      Buffer.from('\r\n\r\n', 'latin1'),
    ]);
    const result = parseChunks([bytes], 'latin1');
    expect(result.messages).toEqual([{ Event: 'Newchannel', CallerIDName: 'Zoë Å' }]);
  });

  it('decodes every UTF-8 value of a long read, wherever it falls among ASCII lines', () => {
    // 600 messages (27 KiB) in one read: UTF-8 names far apart (several KiB of ASCII between them), side
    // by side, at the very start and at the very end.
    const utf8At = new Set([0, 1, 97, 150, 151, 194, 291, 388, 485, 560, 599]);
    const names = Array.from({ length: 600 }, (_, index) =>
      utf8At.has(index) ? `Łukasz Müller ✓ ${index}` : `Agent ${index}`,
    );
    const text = names.map((name, index) => `Event: Test\r\nIndex: ${index}\r\nName: ${name}\r\n\r\n`);
    const result = parseChunks([Buffer.from(`${BANNER}${text.join('')}`)]);
    expect(result.errors).toEqual([]);
    expect(result.messages.map((message) => message.Name)).toEqual(names);
  });

  it('latin1 bytes read as utf8 do not throw (they become replacement characters)', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${BANNER}Event: X\r\nName: `),
      Buffer.from([0xeb]),
      Buffer.from('\r\n\r\n'),
    ]);
    const result = parseChunks([bytes], 'utf8');
    expect(result.errors).toEqual([]);
    expect(result.messages).toEqual([{ Event: 'X', Name: '\ufffd' }]);
  });
});
