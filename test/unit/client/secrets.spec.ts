import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { AmiActionError, AmiError } from '../../../lib/client.js';
import { CapturingLogger, Harness, rejectionOf, waitUntil } from './support.js';

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

describe('AmiClient: a secret, whichever way it travels, stays out of the trace', () => {
  it('a typed parameter, extraHeaders, an array, a variables entry, a Variable header: all redacted', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger, traceFrames: true, sensitiveHeaders: ['X-Token'] });
    await client.connect();
    server.onAction('Custom', () => ({ Response: 'Success' }));
    await client.send({
      Action: 'Custom',
      Secret: 'typed-secret',
      Key: ['array-key-1', 'array-key-2'],
      extraHeaders: { 'X-Token': 'extra-token', secret: 'extra-secret' },
      variables: { Secret: 'variable-secret', __KEY: 'inherited-key', CAMPAIGN: 'spring' },
      Variable: 'A=1,SECRET=assigned-secret',
    });
    const received = server.actions.at(-1);
    expect(received?.getAll('Variable')).toEqual([
      'Secret=variable-secret',
      '__KEY=inherited-key',
      'CAMPAIGN=spring',
      'A=1,SECRET=assigned-secret',
    ]);
    expect(received?.get('X-Token')).toBe('extra-token');
    const line = logger.lines.find((text) => text.includes('"Action":"Custom"'));
    expect(line).toContain('"CAMPAIGN":"spring"');
    for (const value of [
      'typed-secret',
      'array-key-1',
      'array-key-2',
      'extra-token',
      'extra-secret',
      'variable-secret',
      'inherited-key',
      'assigned-secret',
    ])
      expect(logger.text).not.toContain(value);
  });

  it('what the server echoes back: a Getvar answer, VarSet, ChanVariable, a UserEvent with Secret', async () => {
    const server = await harness.server();
    const logger = new CapturingLogger();
    const client = harness.client(server, { logger, traceFrames: true });
    await client.connect();
    server.onAction('Getvar', (action) => ({
      Response: 'Success',
      Variable: action.get('Variable'),
      Value: 'getvar-echo',
    }));
    const answer = await client.send({ Action: 'Getvar', Variable: 'SECRET' });
    expect(answer.Value).toBe('getvar-echo'); // the caller still gets the real value
    const seen: string[] = [];
    client.onEvent('*', (event) => {
      seen.push(event.Event);
    });
    server.emitEvent({ Event: 'VarSet', Channel: 'Local/1@t-1;1', Variable: 'SECRET', Value: 'varset-echo' });
    server.emitEvent({ Event: 'Newexten', Channel: 'Local/1@t-1;1', ChanVariable: 'key=chanvar-echo' });
    server.emitEvent({ Event: 'UserEvent', UserEvent: 'Boom', Secret: 'userevent-echo' });
    await waitUntil(() => seen.length === 3);
    expect(logger.lines.filter((line) => line.includes('<redacted>')).length).toBeGreaterThanOrEqual(4);
    for (const value of ['getvar-echo', 'varset-echo', 'chanvar-echo', 'userevent-echo'])
      expect(logger.text).not.toContain(value);
  });
});

/** What console.log writes for `value`. */
function consoleLogged(value: unknown): string {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  new Console({ stdout: stream, colorMode: false }).log(value);
  return text;
}

/** Every view of a value a person or an error reporter may produce. */
function everyView(value: unknown): string[] {
  const ownProperties = (_key: string, item: unknown) =>
    item instanceof Error
      ? Object.fromEntries(Object.getOwnPropertyNames(item).map((name) => [name, (item as never)[name]]))
      : item;
  return [
    consoleLogged(value),
    inspect(value),
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    JSON.stringify(value) ?? '',
    JSON.stringify(value, ownProperties) ?? '',
    String(value),
  ];
}

describe('AmiClient: the client, its options and its errors never show the secret', () => {
  it('console.log, util.inspect (showHidden, any depth) and JSON.stringify of the client', async () => {
    const server = await harness.server({ users: { admin: SECRET } });
    const client = harness.client(server, { secret: SECRET });
    for (const view of everyView(client)) expect(view).not.toContain(SECRET);
    await client.connect();
    const views = everyView(client);
    // The resolved options, should anything reach them (the client keeps them private).
    views.push(...everyView(Reflect.get(client, 'options')));
    for (const view of views) expect(view).not.toContain(SECRET);
    expect(views[0]).toContain("state: 'connected'");
    expect(JSON.parse(views[3])).toMatchObject({ username: 'admin', state: 'connected' });
  });

  it('an AmiActionError whose response echoes the secret, and an error wrapping it as its cause', async () => {
    const server = await harness.server();
    const client = harness.client(server, { sensitiveHeaders: ['X-Token'] });
    await client.connect();
    server.onAction('Custom', () => ({
      Response: 'Error',
      Message: 'Permission denied',
      Secret: SECRET,
      'X-Token': `${SECRET}-token`,
      ChanVariable: `KEY=${SECRET}-chanvar`,
    }));
    const error = await rejectionOf(client.send({ Action: 'Custom' }));
    expect(error).toBeInstanceOf(AmiActionError);
    expect((error as AmiActionError).response).toMatchObject({
      Response: 'Error',
      Message: 'Permission denied',
      Secret: '<redacted>',
      'X-Token': '<redacted>',
      ChanVariable: 'KEY=<redacted>',
    });
    const report = new Error('the request failed', { cause: error });
    for (const view of [...everyView(error), ...everyView(report), ...everyView({ error })])
      expect(view).not.toContain(SECRET);
  });

  it('a refused login: the AmiAuthenticationError, inspected whole, carries no secret', async () => {
    const server = await harness.server({ users: { admin: 'another' } });
    const client = harness.client(server, { secret: SECRET });
    const error = await rejectionOf(client.connect());
    const report = new Error('startup failed', { cause: error });
    for (const view of [...everyView(error), ...everyView(report)]) expect(view).not.toContain(SECRET);
  });
});
