import { describe, expect, it } from '@jest/globals';
import {
  DONE_EVENTS_MIN_TTL,
  doneEventsKey,
  doneEventsTtl,
  doneIndicesOfReply,
} from '../../../../lib/cluster/consumers/done-events.js';
import { EntryRun } from '../../../../lib/cluster/consumers/entry-run.js';
import { decodeStreamEntry, encodePackedEntry } from '../../../../lib/cluster/stream-entry.js';

const events =
  decodeStreamEntry(
    '4-0',
    encodePackedEntry(
      [0, 1, 2].map((seq) => ({ Event: 'UserEvent', Seq: String(seq) })),
      1,
      [1, 2, 3],
    ),
  ) ?? [];

describe('done sets', () => {
  it('are keyed by stream and entry, in the stream hash slot', () => {
    expect(doneEventsKey('p:{g:c}:events', '4-0')).toBe('p:{g:c}:events:done:4-0');
  });

  it('outlive the redeliveries of their entry, and an hour', () => {
    expect(doneEventsTtl(30_000, 5)).toBe(DONE_EVENTS_MIN_TTL);
    expect(doneEventsTtl(1_000_000, 5)).toBe(7_000_000);
  });

  it('read back as indices; none (or garbage) as undefined', () => {
    expect(doneIndicesOfReply(['0', '2'])).toEqual(new Set([0, 2]));
    expect(doneIndicesOfReply(['1', 'x', '-1'])).toEqual(new Set([1]));
    expect(doneIndicesOfReply([])).toBeUndefined();
    expect(doneIndicesOfReply(['x'])).toBeUndefined();
    expect(doneIndicesOfReply(null)).toBeUndefined();
  });
});

describe('EntryRun', () => {
  it('finishes only when every started event settled and all were started', () => {
    const run = new EntryRun('4-0', 1, false);
    run.started();
    run.started();
    expect(run.succeed(0)).toBe(false);
    expect(run.succeed(1)).toBe(false); // the loop still holds it
    expect(run.launched()).toBe(true);
    expect(run.retrying).toBe(false);
  });

  it('finishes at the last settlement after launch', () => {
    const run = new EntryRun('4-0', 1, false);
    run.started();
    run.started();
    expect(run.launched()).toBe(false);
    expect(run.succeed(1)).toBe(false);
    expect(run.fail()).toBe(true);
    expect(run.retrying).toBe(true);
  });

  it('finishes at once when it started nothing (all its events were done)', () => {
    expect(new EntryRun('4-0', 2, true).launched()).toBe(true);
  });

  it('counts the events that succeeded or were dead-lettered as done', () => {
    const run = new EntryRun('4-0', 3, false);
    for (let i = 0; i < 3; i += 1) run.started();
    run.launched();
    run.succeed(2);
    run.giveUp(events[0], 3, new Error('x'));
    run.fail();
    expect(run.doneIndices()).toEqual([2, 0]);
    expect(run.givenUp).toEqual([{ event: events[0], deliveries: 3, error: new Error('x') }]);
  });
});
