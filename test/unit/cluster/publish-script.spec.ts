import { readPublishOutcome } from '../../../lib/cluster/publish-script.js';

describe('readPublishOutcome', () => {
  it('reads the three answers of the fenced append', () => {
    expect(readPublishOutcome([1, '1-0'])).toEqual({ kind: 'appended', lastId: '1-0' });
    expect(readPublishOutcome([0])).toEqual({ kind: 'refused' });
    expect(readPublishOutcome([2, '5-1', '3', 'ab:3:7'])).toEqual({
      kind: 'unexpected-last',
      lastId: '5-1',
      lastEpoch: 3,
      lastTag: 'ab:3:7',
    });
  });

  it('throws on anything else rather than guess', () => {
    expect(() => readPublishOutcome('OK')).toThrow(/publish script/);
    expect(() => readPublishOutcome([1])).toThrow(/publish script/);
  });
});
