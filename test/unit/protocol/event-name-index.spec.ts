import { ALL_EVENTS, EventNameIndex } from '../../../lib/protocol/event-name-index.js';

describe('EventNameIndex', () => {
  it('finds entries by event name whatever the case, and keeps "*" entries apart', () => {
    const index = new EventNameIndex<string>();
    index.add('Hangup', 'a');
    index.add('HANGUP', 'b');
    index.add(ALL_EVENTS, 'all');
    expect(index.named('hangup')).toEqual(['a', 'b']);
    expect(index.named('Newchannel')).toEqual([]);
    expect(index.named(undefined)).toEqual([]);
    expect(index.all).toEqual(['all']);
    expect(index.size).toBe(3);
  });

  it('removes each entry once, even when the same one was added twice', () => {
    const index = new EventNameIndex<string>();
    const first = index.add('Hangup', 'x');
    const second = index.add('Hangup', 'x');
    first();
    first();
    expect(index.named('Hangup')).toEqual(['x']);
    second();
    expect(index.named('Hangup')).toEqual([]);
    expect(index.isEmpty).toBe(true);
  });

  it('leaves a list being walked unchanged when entries are added or removed during the walk', () => {
    const index = new EventNameIndex<string>();
    const removeA = index.add('Hangup', 'a');
    index.add('Hangup', 'b');
    const walked: string[] = [];
    for (const entry of index.named('Hangup')) {
      walked.push(entry);
      removeA();
      index.add('Hangup', 'c');
    }
    expect(walked).toEqual(['a', 'b']);
    expect(index.named('Hangup')).toEqual(['b', 'c', 'c']);
  });
});
