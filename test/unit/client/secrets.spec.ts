import { AmiError } from '../../../lib/client/index.js';
import { CapturingLogger, Harness, rejectionOf } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

const SECRET = 'Sup3r-S3cret-Value';

describe('AmiClient: secrets stay out of logs and errors', () => {
  it('plain login with traceFrames: the Secret is redacted from every line', async () => {
    const server = await harness.server({ users: { admin: SECRET } });
    const logger = new CapturingLogger();
    const client = harness.client(server, { secret: SECRET, logger, traceFrames: true });
    await client.connect();
    await client.send({ Action: 'Ping' });
    await client.disconnect();
    expect(server.actions[0].get('Secret')).toBe(SECRET); // it did go to the server
    const loginTrace = logger.lines.find((line) => line.includes('"Action":"Login"'));
    expect(loginTrace).toContain('<redacted>');
    expect(logger.lines.some((line) => line.includes('"Action":"Ping"'))).toBe(true);
    expect(logger.text).not.toContain(SECRET);
  });

  it('MD5 login with traceFrames: the Key is redacted, the secret never appears', async () => {
    const server = await harness.server({ users: { admin: SECRET } });
    const logger = new CapturingLogger();
    const client = harness.client(server, { secret: SECRET, auth: 'md5', logger, traceFrames: true });
    await client.connect();
    const key = server.actions.find((action) => action.name === 'Login')?.get('Key');
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(logger.text).not.toContain(String(key));
    expect(logger.text).not.toContain(SECRET);
    expect(logger.lines.find((line) => line.includes('"AuthType":"MD5","Username"'))).toContain('<redacted>');
    // Off the wire too: nothing the server received carries the secret, only its challenge digest.
    expect(server.actions.length).toBeGreaterThan(1);
    expect(JSON.stringify(server.actions.map((action) => action.headers))).not.toContain(SECRET);
  });

  it('refused credentials: neither the error nor the logs carry the secret', async () => {
    const server = await harness.server({ users: { admin: 'another' } });
    const logger = new CapturingLogger();
    const client = harness.client(server, { secret: SECRET, logger, traceFrames: true });
    const errors: AmiError[] = [];
    client.on('error', (error) => errors.push(error));
    const error = await rejectionOf(client.connect());
    expect(error).toBeInstanceOf(AmiError);
    expect(`${error.message} ${error.stack}`).not.toContain(SECRET);
    expect(errors.map((reported) => reported.message).join(' ')).not.toContain(SECRET);
    expect(logger.text).not.toContain(SECRET);
    expect(logger.lines.length).toBeGreaterThan(2);
  });

  it('secrets in user actions, any case, and in configured sensitive headers, are redacted', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger, traceFrames: true, sensitiveHeaders: ['X-Token'] });
    await client.connect();
    server.onAction('Custom', () => ({ Response: 'Success' }));
    await client.send({
      Action: 'Custom',
      secret: 'lower-case-secret',
      KEY: 'upper-case-key',
      'x-token': 'token-value',
    });
    expect(server.actions.at(-1)?.get('x-token')).toBe('token-value');
    expect(logger.text).toContain('"Action":"Custom"');
    for (const value of ['lower-case-secret', 'upper-case-key', 'token-value'])
      expect(logger.text).not.toContain(value);
  });

  it('an action refused for header injection does not echo the secret', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger, traceFrames: true });
    await client.connect();
    const error = await rejectionOf(
      client.send({ Action: 'Custom', Secret: `${SECRET}\r\nAction: Command` }),
    );
    expect(error.message).not.toContain(SECRET);
    expect(logger.text).not.toContain(SECRET);
  });
});
