import { eventNameFilter, splitPatterns } from '../../../lib/cli/event-patterns.js';
import { CliUsageError } from '../../../lib/cli/usage-error.js';

describe('splitPatterns', () => {
  it('splits comma separated patterns and drops empty ones', () => {
    expect(splitPatterns(['Hangup,Dial*', ' New* , ', 'AOC-D'])).toEqual([
      'Hangup',
      'Dial*',
      'New*',
      'AOC-D',
    ]);
    expect(splitPatterns([])).toEqual([]);
  });

  it.each(['Cause=16', 'Hangup Cause', 'Dial[Begin]', 'Hang/up'])(
    'refuses %j, which no event name has',
    (arg) => {
      expect(() => splitPatterns([arg])).toThrow(CliUsageError);
    },
  );
});

describe('eventNameFilter', () => {
  it('shows every event without patterns', () => {
    const shown = eventNameFilter([]);
    expect(['Hangup', 'VarSet', 'FullyBooted'].every(shown)).toBe(true);
  });

  it('matches whole names, case-insensitively', () => {
    const shown = eventNameFilter(['hangup']);
    expect(shown('Hangup')).toBe(true);
    expect(shown('HANGUP')).toBe(true);
    expect(shown('HangupRequest')).toBe(false);
    expect(shown('SoftHangupRequest')).toBe(false);
  });

  it('reads * as any run of characters and ? as one character', () => {
    const shown = eventNameFilter(['Dial*', '*Request', 'New?tate']);
    expect(
      ['DialBegin', 'DialEnd', 'Dial', 'HangupRequest', 'SoftHangupRequest', 'Newstate'].every(shown),
    ).toBe(true);
    expect(['Hangup', 'NewCallerid', 'Newchannel', 'BridgeEnter'].some(shown)).toBe(false);
  });

  it('takes . and - literally', () => {
    const shown = eventNameFilter(['AOC-D', 'a.b']);
    expect(shown('AOC-D')).toBe(true);
    expect(shown('AOCxD')).toBe(false);
    expect(shown('axb')).toBe(false);
  });

  it('hides excluded names, even when included', () => {
    const shown = eventNameFilter(['*'], ['VarSet', 'new*']);
    expect(shown('Hangup')).toBe(true);
    expect(shown('VarSet')).toBe(false);
    expect(shown('Newexten')).toBe(false);
    const onlyExcluding = eventNameFilter([], ['RTCP*']);
    expect(onlyExcluding('RTCPSent')).toBe(false);
    expect(onlyExcluding('Hangup')).toBe(true);
  });
});
