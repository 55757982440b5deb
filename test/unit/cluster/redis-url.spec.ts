import { redactRedisUrl, withoutPassword } from '../../../lib/cluster/redis-url.js';

describe('redactRedisUrl', () => {
  it.each([
    ['redis://user:s3cr%40t@host:6379/0', 'redis://user:<redacted>@host:6379/0'],
    ['redis://:s3cret@host:6379', 'redis://:<redacted>@host:6379'],
    ['rediss://host:6380', 'rediss://host:6380'],
    ['redis://host:6379?password=s3cret&db=1', 'redis://host:6379?password=<redacted>&db=1'],
  ])('%s -> %s', (url, expected) => {
    expect(redactRedisUrl(url)).toBe(expected);
    expect(redactRedisUrl(url)).not.toMatch(/s3cr/);
  });

  it('does not echo what is not a URL (it may be a secret pasted in the wrong place)', () => {
    expect(redactRedisUrl('s3cret host:6379')).toBe('<not a URL>');
  });
});

describe('withoutPassword', () => {
  it('removes the URL password, decoded, from a message', () => {
    expect(withoutPassword('AUTH s3cr@t failed', 'redis://u:s3cr%40t@h')).toBe('AUTH <redacted> failed');
  });

  it('leaves the message alone without a password or URL', () => {
    expect(withoutPassword('connect ECONNREFUSED', 'redis://h:1')).toBe('connect ECONNREFUSED');
    expect(withoutPassword('connect ECONNREFUSED', undefined)).toBe('connect ECONNREFUSED');
  });
});
