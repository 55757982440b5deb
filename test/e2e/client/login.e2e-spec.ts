import { AmiAuthenticationError, AmiClient } from '../../../lib/client.js';
import { asterisk, credentials } from '../support/asterisk-target.js';

describe('login against the real Asterisk 22', () => {
  let client: AmiClient | undefined;
  afterEach(async () => {
    await client?.disconnect();
    client = undefined;
  });

  it('logs in with a plain secret and answers Ping', async () => {
    client = new AmiClient({ ...credentials(), reconnect: false, keepAlive: false });
    await client.connect();
    expect(client.state).toBe('connected');
    expect(client.amiVersion).toMatch(/^\d+\.\d+\.\d+$/);
    const pong = await client.send({ Action: 'Ping' });
    expect(pong.Response).toBe('Success');
    expect(pong.Ping).toBe('Pong');
  });

  it('logs in by MD5 challenge', async () => {
    client = new AmiClient({ ...credentials(), auth: 'md5', reconnect: false, keepAlive: false });
    await client.connect();
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });

  it('rejects a bad password with AmiAuthenticationError after one attempt, and does not retry', async () => {
    client = new AmiClient({ ...credentials(), secret: 'wrong', reconnect: { initialDelay: 10 } });
    const attempts: string[] = [];
    client.on('connect', () => attempts.push('connect'));
    client.on('reconnecting', () => attempts.push('reconnecting'));
    await expect(client.connect({ retry: true })).rejects.toBeInstanceOf(AmiAuthenticationError);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toEqual(['connect']);
    expect(client.state).toBe('disconnected');
    expect(client.willReconnect).toBe(false);
    expect(asterisk.username).not.toBe('');
  });
});
