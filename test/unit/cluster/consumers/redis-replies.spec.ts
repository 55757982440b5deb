import {
  compareStreamIds,
  deliveryCountOfPendingReply,
  deliveryCountsOfPendingReply,
  entriesOfReadReply,
  groupInfoOf,
  isBusyGroupError,
  isNoGroupError,
  parseAutoClaimReply,
} from '../../../../lib/cluster/consumers/redis-replies.js';

describe('stream replies', () => {
  it('takes the entries of the one stream an XREAD/XREADGROUP asked for; none on a timeout', () => {
    const entries = [
      ['1-0', ['event', '{}']],
      ['1-1', null],
    ];
    expect(entriesOfReadReply([['stream', entries]])).toEqual(entries);
    expect(entriesOfReadReply(null)).toEqual([]);
    expect(entriesOfReadReply([])).toEqual([]);
    expect(entriesOfReadReply([['stream']])).toEqual([]);
  });

  it("reads XAUTOCLAIM's cursor, entries and deleted IDs, dropping Redis 6.2's nil entries", () => {
    expect(parseAutoClaimReply(['5-0', [['1-0', ['a', 'b']], null], ['2-0']])).toEqual({
      cursor: '5-0',
      entries: [['1-0', ['a', 'b']]],
      deletedIds: ['2-0'],
    });
    expect(parseAutoClaimReply(['0-0', []])).toEqual({ cursor: '0-0', entries: [], deletedIds: [] });
    expect(parseAutoClaimReply(null)).toEqual({ cursor: '0-0', entries: [], deletedIds: [] });
  });

  it('reads delivery counts from an extended XPENDING reply', () => {
    expect(deliveryCountOfPendingReply([['1-0', 'c', 10, 3]])).toBe(3);
    expect(deliveryCountOfPendingReply([])).toBeUndefined();
    expect(
      deliveryCountsOfPendingReply([
        ['1-0', 'c', 10, 3],
        ['2-0', 'c', 5, 1],
      ]),
    ).toEqual(
      new Map([
        ['1-0', 3],
        ['2-0', 1],
      ]),
    );
  });

  it("finds a group's line in XINFO GROUPS, with a nil lag as null", () => {
    const reply = [
      [
        'name',
        'other',
        'consumers',
        0,
        'pending',
        9,
        'last-delivered-id',
        '9-0',
        'entries-read',
        9,
        'lag',
        0,
      ],
      [
        'name',
        'once',
        'consumers',
        2,
        'pending',
        3,
        'last-delivered-id',
        '7-1',
        'entries-read',
        null,
        'lag',
        null,
      ],
    ];
    expect(groupInfoOf(reply, 'once')).toEqual({ pending: 3, lastDeliveredId: '7-1', lag: null });
    expect(groupInfoOf(reply, 'other')).toEqual({ pending: 9, lastDeliveredId: '9-0', lag: 0 });
    expect(groupInfoOf(reply, 'missing')).toBeUndefined();
  });

  it('tells NOGROUP and BUSYGROUP apart from other errors', () => {
    expect(isNoGroupError(new Error("NOGROUP No such key 's' or consumer group 'g'"))).toBe(true);
    expect(isNoGroupError(new Error('Connection is closed.'))).toBe(false);
    expect(isNoGroupError('NOGROUP')).toBe(false);
    expect(isBusyGroupError(new Error('BUSYGROUP Consumer Group name already exists'))).toBe(true);
    expect(isBusyGroupError(new Error('NOGROUP x'))).toBe(false);
  });

  it('compares stream IDs as numbers, not strings', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('1796195958805-0', '1796195958761-5')).toBeGreaterThan(0);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
    expect(compareStreamIds('0-0', '0')).toBe(0);
  });
});
