import {
  formatActionResult,
  formatActionResultJson,
  formatMessageBlock,
} from '../../../lib/cli/format-response.js';

const channels = {
  response: { Response: 'Success', ActionID: 'cli-1', EventList: 'start', Message: 'Channels will follow' },
  events: [
    { Event: 'CoreShowChannel', ActionID: 'cli-1', Channel: 'Local/200@test-00000000;1' },
    { Event: 'CoreShowChannel', ActionID: 'cli-1', Channel: 'Local/200@test-00000000;2' },
  ],
  complete: { Event: 'CoreShowChannelsComplete', ActionID: 'cli-1', EventList: 'Complete', ListItems: '2' },
};

describe('formatMessageBlock', () => {
  it('writes Key: Value lines without the ActionID, repeating a repeated header', () => {
    expect(
      formatMessageBlock({
        Response: 'Success',
        ActionID: 'cli-7',
        Message: 'Command output follows',
        Output: ['line 1', 'line 2'],
      }),
    ).toBe('Response: Success\nMessage: Command output follows\nOutput: line 1\nOutput: line 2');
  });

  it('escapes control characters so one header stays one line', () => {
    expect(formatMessageBlock({ Response: 'Success', Name: 'a\r\nAction: x\u001b' })).toBe(
      'Response: Success\nName: a\\r\\nAction: x\\u001b',
    );
  });
});

describe('formatActionResult', () => {
  it('prints the response alone when no list follows', () => {
    expect(formatActionResult({ response: { Response: 'Success', Ping: 'Pong' }, events: [] })).toBe(
      'Response: Success\nPing: Pong',
    );
  });

  it('prints the response, each item and the closing event, separated by blank lines', () => {
    expect(formatActionResult(channels)).toBe(
      [
        'Response: Success\nEventList: start\nMessage: Channels will follow',
        'Event: CoreShowChannel\nChannel: Local/200@test-00000000;1',
        'Event: CoreShowChannel\nChannel: Local/200@test-00000000;2',
        'Event: CoreShowChannelsComplete\nEventList: Complete\nListItems: 2',
      ].join('\n\n'),
    );
  });
});

describe('formatActionResultJson', () => {
  it('is one JSON document with the response, the items and the closing event as received', () => {
    expect(JSON.parse(formatActionResultJson(channels))).toEqual(channels);
  });

  it('has an empty item list and no complete when no list followed', () => {
    expect(JSON.parse(formatActionResultJson({ response: { Response: 'Success' }, events: [] }))).toEqual({
      response: { Response: 'Success' },
      events: [],
    });
  });
});
