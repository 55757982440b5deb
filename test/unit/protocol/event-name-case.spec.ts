import { EventNameCase } from '../../../lib/protocol/event-name-case.js';

describe('EventNameCase', () => {
  it('lower-cases any name, and keeps only short ones, at most 10,000 of them', () => {
    const names = new EventNameCase();
    expect(names.lower('DialBegin')).toBe('dialbegin');
    expect(names.size).toBe(1);

    // A hostile server's huge names are answered right but never kept.
    const huge = `X${'y'.repeat(1_000_000)}`;
    expect(names.lower(huge)).toBe(huge.toLowerCase());
    expect(names.size).toBe(1);

    for (let i = 0; i < 20_000; i++) names.lower(`Invented${i}`);
    expect(names.size).toBe(10_000);
    expect(names.lower('Invented19999')).toBe('invented19999');
  });
});
