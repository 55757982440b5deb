import { connectionFromFlags, DEFAULT_TIMEOUT_MS } from '../../../lib/cli/connection-options.js';
import { CliUsageError } from '../../../lib/cli/usage-error.js';

const env = { AMI_USERNAME: 'admin', AMI_SECRET: 'env-secret' };
const noFile = (path: string): Buffer => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};

describe('connectionFromFlags', () => {
  it('defaults to 127.0.0.1:5038, plain login, 10 s timeouts', () => {
    const { options, warnings } = connectionFromFlags({}, env, noFile);
    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: 5038,
      username: 'admin',
      secret: 'env-secret',
      auth: 'plain',
      tls: false,
      connectTimeout: DEFAULT_TIMEOUT_MS,
      loginTimeout: DEFAULT_TIMEOUT_MS,
      actionTimeout: DEFAULT_TIMEOUT_MS,
    });
    expect(warnings).toEqual([]);
  });

  it('reads AMI_HOST, AMI_PORT, AMI_MD5 from the environment', () => {
    const { options } = connectionFromFlags(
      {},
      { ...env, AMI_HOST: 'pbx.example', AMI_PORT: '6038', AMI_MD5: 'yes' },
      noFile,
    );
    expect(options).toMatchObject({ host: 'pbx.example', port: 6038, auth: 'md5' });
  });

  it('lets each flag win over its variable', () => {
    const { options } = connectionFromFlags(
      { host: 'flag-host', port: '7038', username: 'flag-user', md5: true, timeout: '2.5' },
      { ...env, AMI_HOST: 'env-host', AMI_PORT: '6038' },
      noFile,
    );
    expect(options).toMatchObject({
      host: 'flag-host',
      port: 7038,
      username: 'flag-user',
      auth: 'md5',
      connectTimeout: 2_500,
      actionTimeout: 2_500,
    });
  });

  it('warns against --secret without repeating it', () => {
    const { options, warnings } = connectionFromFlags({ secret: 'flag-secret' }, env, noFile);
    expect(options.secret).toBe('flag-secret');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('AMI_SECRET');
    expect(warnings.join()).not.toContain('flag-secret');
  });

  it('requires a username and a secret', () => {
    expect(() => connectionFromFlags({}, { AMI_SECRET: 's' }, noFile)).toThrow(
      /no username: set AMI_USERNAME/,
    );
    expect(() => connectionFromFlags({}, { AMI_USERNAME: 'u', AMI_SECRET: '' }, noFile)).toThrow(
      /no secret: set AMI_SECRET/,
    );
  });

  it('uses TLS on 5039 by default, verifying the certificate, with the CA file given', () => {
    const read = (path: string) => Buffer.from(`pem of ${path}`);
    const { options } = connectionFromFlags({ tls: true, ca: '/etc/ca.crt' }, env, read);
    expect(options.port).toBe(5039);
    expect(options.tls).toEqual({ ca: Buffer.from('pem of /etc/ca.crt') });
  });

  it('turns TLS on from AMI_TLS and reads AMI_CA', () => {
    const { options } = connectionFromFlags({}, { ...env, AMI_TLS: '1', AMI_CA: 'ca.pem' }, () =>
      Buffer.from('ca'),
    );
    expect(options.tls).toEqual({ ca: Buffer.from('ca') });
  });

  it('skips verification only with --insecure, and says so', () => {
    const { options, warnings } = connectionFromFlags({ tls: true, insecure: true }, env, noFile);
    expect(options.tls).toEqual({ rejectUnauthorized: false });
    expect(warnings.join()).toContain('not verified');
  });

  it('refuses TLS settings without TLS', () => {
    expect(() => connectionFromFlags({ ca: 'ca.pem' }, env, noFile)).toThrow('--ca (or AMI_CA) needs --tls');
    expect(() => connectionFromFlags({ insecure: true }, env, noFile)).toThrow('--insecure needs --tls');
  });

  it('says which CA file could not be read', () => {
    expect(() => connectionFromFlags({ tls: true, ca: '/missing/ca.pem' }, env, noFile)).toThrow(
      'cannot read the CA file "/missing/ca.pem" (ENOENT)',
    );
  });

  it('names the flag or the variable that holds a bad port', () => {
    expect(() => connectionFromFlags({ port: 'http' }, env, noFile)).toThrow(/^--port must be/);
    expect(() => connectionFromFlags({}, { ...env, AMI_PORT: '99999' }, noFile)).toThrow(/^AMI_PORT must be/);
  });

  it('refuses an AMI_TLS that is neither yes nor no', () => {
    expect(() => connectionFromFlags({}, { ...env, AMI_TLS: 'maybe' }, noFile)).toThrow(CliUsageError);
  });
});
