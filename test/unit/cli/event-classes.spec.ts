import { eventClasses } from '../../../lib/cli/event-classes.js';
import { CliUsageError } from '../../../lib/cli/usage-error.js';

describe('eventClasses', () => {
  it('asks for every event by default and with on/all', () => {
    expect(eventClasses(undefined)).toBe(true);
    expect(eventClasses('on')).toBe(true);
    expect(eventClasses('ALL')).toBe(true);
  });

  it('asks for none with off/none', () => {
    expect(eventClasses('off')).toBe(false);
    expect(eventClasses('none')).toBe(false);
  });

  it('reads a comma separated class list, lower-cased', () => {
    expect(eventClasses('call, System,,agent')).toEqual(['call', 'system', 'agent']);
  });

  it.each(['', ',', 'call;system', 'call,sys tem'])('refuses %j', (text) => {
    expect(() => eventClasses(text)).toThrow(CliUsageError);
  });
});
