import { BANNER, newParser, parseChunks } from './parse.js';

// A realistic session: login, FullyBooted, an event with multi-byte caller names (2, 3 and 4 byte
// UTF-8 sequences), Command output in both forms (the legacy one with a blank line in its body),
// an OriginateResponse, and repeated headers.
const STREAM = [
  BANNER,
  'Response: Success\r\nActionID: 1\r\nMessage: Authentication accepted\r\n\r\n',
  'Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 12\r\nLastReload: 12\r\nStatus: Fully Booted\r\n\r\n',
  'Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/alice-00000001\r\n',
  'CallerIDNum: 100\r\nCallerIDName: Zoë Ångström 李小龍 🎧\r\nUniqueid: 1732286836.1\r\n\r\n',
  'Response: Success\r\nActionID: 2\r\nMessage: Command output follows\r\n',
  'Output: Channel   Location\r\nOutput: \r\nOutput: 1 active channel\r\n\r\n',
  'Response: Follows\r\nPrivilege: Command\r\nActionID: 3\r\n',
  'Name/username   Host\n\nbob/bob   (Unspecified)\n--END COMMAND--\r\n\r\n',
  'Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: 4\r\nResponse: Failure\r\n',
  'Channel: Local/busy@test\r\nReason: 5\r\nCallerIDName: Zoë\r\n\r\n',
  'Event: TestEvent\r\nState: one\r\nState: two\r\nVariable: A=1\r\nVariable: B=2\r\n\r\n',
].join('');

const EXPECTED = [
  { Response: 'Success', ActionID: '1', Message: 'Authentication accepted' },
  { Event: 'FullyBooted', Privilege: 'system,all', Uptime: '12', LastReload: '12', Status: 'Fully Booted' },
  {
    Event: 'Newchannel',
    Privilege: 'call,all',
    Channel: 'PJSIP/alice-00000001',
    CallerIDNum: '100',
    CallerIDName: 'Zoë Ångström 李小龍 🎧',
    Uniqueid: '1732286836.1',
  },
  {
    Response: 'Success',
    ActionID: '2',
    Message: 'Command output follows',
    Output: ['Channel   Location', '', '1 active channel'],
  },
  {
    Response: 'Follows',
    Privilege: 'Command',
    ActionID: '3',
    Output: ['Name/username   Host', '', 'bob/bob   (Unspecified)'],
  },
  {
    Event: 'OriginateResponse',
    Privilege: 'call,all',
    ActionID: '4',
    Response: 'Failure',
    Channel: 'Local/busy@test',
    Reason: '5',
    CallerIDName: 'Zoë',
  },
  { Event: 'TestEvent', State: ['one', 'two'], Variable: ['A=1', 'B=2'] },
];

const bytes = Buffer.from(STREAM, 'utf8');

// Thousands of parses per test: a generous limit for a loaded machine.
const SLOW = 60_000;

describe('AmiFrameParser, whatever the chunking', () => {
  it(
    'reads the stream in one chunk',
    () => {
      const result = parseChunks([bytes]);
      expect(result.errors).toEqual([]);
      expect(result.banners).toEqual(['11.0.0']);
      expect(result.messages).toEqual(EXPECTED);
    },
    SLOW,
  );

  it(
    'the stream really splits multi-byte characters at some offsets',
    () => {
      // Guards the next test: at least one cut falls inside a UTF-8 sequence.
      const insideCharacter = [...bytes.keys()].filter((offset) => (bytes[offset] & 0xc0) === 0x80);
      expect(insideCharacter.length).toBeGreaterThan(10);
    },
    SLOW,
  );

  it(
    'gives the same messages when cut in two at every byte offset',
    () => {
      for (let offset = 0; offset <= bytes.length; offset++) {
        const result = parseChunks([bytes.subarray(0, offset), bytes.subarray(offset)]);
        if (result.errors.length > 0 || result.messages.length !== EXPECTED.length) {
          throw new Error(`cut at byte ${offset}: ${JSON.stringify(result)}`);
        }
        expect(result.messages).toEqual(EXPECTED);
        expect(result.banners).toEqual(['11.0.0']);
      }
    },
    SLOW,
  );

  it(
    'gives the same messages when cut in three at every pair of offsets 7 bytes apart',
    () => {
      for (let offset = 0; offset + 7 <= bytes.length; offset++) {
        const chunks = [
          bytes.subarray(0, offset),
          bytes.subarray(offset, offset + 7),
          bytes.subarray(offset + 7),
        ];
        expect(parseChunks(chunks).messages).toEqual(EXPECTED);
      }
    },
    SLOW,
  );

  it(
    'keeps nothing of a chunk once push returns: one read buffer, overwritten after every push',
    () => {
      // How the client reads plain TCP: every read lands in the same buffer.
      const readBuffer = Buffer.alloc(bytes.length);
      for (let size = 1; size <= 9; size++) {
        const { parser, result } = newParser();
        for (let offset = 0; offset < bytes.length; offset += size) {
          const length = bytes.copy(readBuffer, 0, offset, offset + size);
          parser.push(readBuffer.subarray(0, length));
          readBuffer.fill('X');
        }
        expect(result.errors).toEqual([]);
        expect(result.messages).toEqual(EXPECTED);
      }
    },
    SLOW,
  );

  it(
    'gives the same messages when fed byte by byte',
    () => {
      const chunks = [...bytes].map((byte) => Buffer.from([byte]));
      const result = parseChunks(chunks);
      expect(result.errors).toEqual([]);
      expect(result.banners).toEqual(['11.0.0']);
      expect(result.messages).toEqual(EXPECTED);
    },
    SLOW,
  );

  it(
    'gives the same messages with bare \\n line endings',
    () => {
      const bare = Buffer.from(STREAM.replaceAll('\r\n', '\n'), 'utf8');
      expect(parseChunks([bare]).messages).toEqual(EXPECTED);
      expect(parseChunks([...bare].map((byte) => Buffer.from([byte]))).messages).toEqual(EXPECTED);
    },
    SLOW,
  );
});
