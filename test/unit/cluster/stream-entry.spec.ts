import { describe, expect, it } from '@jest/globals';
import { eventFrame } from '../../../lib/cluster/event-frames.js';
import {
  decodeStreamEntry,
  encodeGapEntry,
  encodePackedEntry,
  encodeStreamEntry,
  eventIdOf,
  singleEventFields,
} from '../../../lib/cluster/stream-entry.js';

const hangup = { Event: 'Hangup', Channel: 'PJSIP/a-1' };
const newchannel = { Event: 'Newchannel', Channel: 'PJSIP/b-2' };
const bridge = { Event: 'BridgeEnter', Channel: 'PJSIP/c-3' };

describe('eventIdOf', () => {
  it('is the entry ID for an entry of one event, `<entry>#<index>` for a packed one', () => {
    expect(eventIdOf('5-1', 0, 1)).toBe('5-1');
    expect(eventIdOf('5-1', 0, 3)).toBe('5-1#0');
    expect(eventIdOf('5-1', 2, 3)).toBe('5-1#2');
  });
});

describe('decodeStreamEntry', () => {
  it('decodes an entry of one event into one event whose ID is the entry ID', () => {
    expect(decodeStreamEntry('7-0', encodeStreamEntry(hangup, 4, 1_000))).toEqual([
      { id: '7-0', entryId: '7-0', index: 0, event: hangup, epoch: 4, receivedAt: 1_000 },
    ]);
  });

  it('decodes a packed entry into its events, in order, each with its own ID and received-at time', () => {
    const fields = encodePackedEntry([hangup, newchannel, bridge], 2, [10, 11, 13]);
    expect(decodeStreamEntry('8-3', fields)).toEqual([
      { id: '8-3#0', entryId: '8-3', index: 0, event: hangup, epoch: 2, receivedAt: 10 },
      { id: '8-3#1', entryId: '8-3', index: 1, event: newchannel, epoch: 2, receivedAt: 11 },
      { id: '8-3#2', entryId: '8-3', index: 2, event: bridge, epoch: 2, receivedAt: 13 },
    ]);
  });

  it('gives a packed entry of one event the entry ID, as an entry of one event', () => {
    expect(decodeStreamEntry('9-0', encodePackedEntry([hangup], 1, [5]))).toEqual([
      { id: '9-0', entryId: '9-0', index: 0, event: hangup, epoch: 1, receivedAt: 5 },
    ]);
  });

  it('decodes the fields of one event of a packed entry (a dead letter) back to that event', () => {
    const [, second] = decodeStreamEntry('8-3', encodePackedEntry([hangup, newchannel], 2, [10, 11])) ?? [];
    expect(singleEventFields(second)).toEqual(encodeStreamEntry(newchannel, 2, 11));
  });

  it('returns null for a packed entry whose times do not match its events one to one', () => {
    const frames = eventFrame(hangup) + eventFrame(newchannel);
    expect(decodeStreamEntry('1-0', ['frames', frames, 'epoch', '1', 'at', '10'])).toBeNull();
    expect(decodeStreamEntry('1-0', ['frames', eventFrame(hangup), 'epoch', '1', 'at', '10,11'])).toBeNull();
    expect(() => encodePackedEntry([hangup, newchannel], 1, [10])).toThrow(TypeError);
  });

  it('returns null for frames that are cut, hold no event, or a message that is not an event', () => {
    const cut = eventFrame(hangup) + eventFrame(newchannel).slice(0, -2);
    const noEnd = 'Event: Hangup\r\nChannel: x';
    const response = 'Response: Success\r\nActionID: 1\r\n\r\n';
    const follows = 'Response: Follows\r\nPrivilege: Command\r\n';
    for (const [frames, at] of [
      [cut, '1,2'],
      [noEnd, '1'],
      ['', '1'],
      ['\r\n\r\n', '1'],
      [response, '1'],
      [follows, '1'],
    ])
      expect(decodeStreamEntry('1-0', ['frames', frames, 'epoch', '1', 'at', at])).toBeNull();
    // One bad entry does not spoil the next.
    expect(decodeStreamEntry('2-0', encodeStreamEntry(bridge, 1, 5))?.[0].event).toEqual(bridge);
  });

  it('reads an entry written by an earlier version (one event as JSON in `event`)', () => {
    expect(decodeStreamEntry('3-0', ['event', JSON.stringify(hangup), 'epoch', '2', 'at', '9'])).toEqual([
      { id: '3-0', entryId: '3-0', index: 0, event: hangup, epoch: 2, receivedAt: 9 },
    ]);
  });

  it('returns null for a gap marker, a non-object event, or an entry missing its epoch or time', () => {
    expect(decodeStreamEntry('1-0', encodeGapEntry(100, 200, 3))).toBeNull();
    expect(decodeStreamEntry('1-0', ['event', '"Hangup"', 'epoch', '1', 'at', '1'])).toBeNull();
    expect(decodeStreamEntry('1-0', ['frames', eventFrame(hangup), 'at', '1'])).toBeNull();
    expect(decodeStreamEntry('1-0', ['frames', eventFrame(hangup), 'epoch', '1'])).toBeNull();
    expect(decodeStreamEntry('1-0', ['epoch', '1', 'at', '1'])).toBeNull();
  });
});
