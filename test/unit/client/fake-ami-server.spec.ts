import { connect, type Socket } from 'node:net';
import { AmiActionError, AmiFrameParser, type AmiMessage } from '../../../lib/client.js';
import { FakeAmiServer } from '../../../lib/testing/index.js';
import { Harness, rejectionOf, trackResources, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

/** A bare socket to the server, its received bytes and parsed messages. */
async function rawSession(server: FakeAmiServer) {
  const socket: Socket = connect(server.port, '127.0.0.1');
  const messages: AmiMessage[] = [];
  let text = '';
  let banner: string | null = null;
  const parser = new AmiFrameParser({
    onBanner: (version) => {
      banner = version;
    },
    onMessage: (message) => messages.push(message),
    onProtocolError: (error) => {
      throw error;
    },
  });
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    parser.push(chunk);
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  await waitUntil(() => banner !== null);
  return {
    socket,
    messages,
    closed,
    get text() {
      return text;
    },
    write: (frame: string) => socket.write(frame),
    close: () => socket.destroy(),
  };
}

describe('FakeAmiServer framing and protocol rules', () => {
  it('sends the Asterisk 22 banner, and echoes the ActionID right after Response', async () => {
    const server = await harness.server();
    const session = await rawSession(server);
    session.write('Action: Login\r\nActionID: abc\r\nUsername: admin\r\nSecret: secret\r\n\r\n');
    await waitUntil(() => session.messages.length >= 1);
    expect(session.text).toMatch(
      /^Asterisk Call Manager\/11\.0\.0\r\nResponse: Success\r\nActionID: abc\r\n/,
    );
    session.close();
  });

  it('refuses actions before login with Permission denied, and unknown ones with Invalid/unknown command', async () => {
    const server = await harness.server();
    const session = await rawSession(server);
    session.write('Action: Ping\r\nActionID: 1\r\n\r\n');
    session.write('Action: Login\nActionID: 2\nUsername: admin\nSecret: secret\n\n'); // bare \n accepted
    session.write('Action: NoSuchThing\r\nActionID: 3\r\n\r\n');
    session.write('ActionID: 4\r\n\r\n');
    await waitUntil(() => session.messages.filter((message) => message.Response !== undefined).length === 4);
    const responses = session.messages.filter((message) => message.Response !== undefined);
    expect(responses.map((message) => [message.ActionID, message.Response, message.Message])).toEqual([
      ['1', 'Error', 'Permission denied'],
      ['2', 'Success', 'Authentication accepted'],
      ['3', 'Error', 'Invalid/unknown command'],
      ['4', 'Error', 'Missing action in request'],
    ]);
    session.close();
  });

  it('answers Logoff with Goodbye, then closes', async () => {
    const server = await harness.server();
    const session = await rawSession(server);
    session.write('Action: Logoff\r\nActionID: 9\r\n\r\n');
    await session.closed;
    expect(session.messages).toEqual([
      { Response: 'Goodbye', ActionID: '9', Message: 'Thanks for all the fish.' },
    ]);
  });

  it('applies Asterisk limits to what clients send: line length and header count', async () => {
    const server = await harness.server();
    const session = await rawSession(server);
    session.write(`Action: Ping\r\nActionID: 1\r\nData: ${'x'.repeat(2000)}\r\n\r\n`);
    const many = Array.from({ length: 130 }, (_, index) => `H${index}: v\r\n`).join('');
    session.write(`Action: Ping\r\nActionID: 2\r\n${many}\r\n`);
    await waitUntil(() => session.messages.length === 2);
    expect(session.messages.map((message) => message.Message)).toEqual([
      'Failed to parse message: line too long',
      'Too many lines in message',
    ]);
    session.close();
  });

  it('records actions with repeated headers in order, matched case-insensitively', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    server.onAction('Originate', () => ({ Response: 'Success' }));
    await client
      .send({ Action: 'Originate', Channel: 'Local/1@t', variables: { A: '1', B: '2' } })
      .catch(() => undefined);
    const action = await server.waitForAction('originate');
    expect(action.getAll('variable')).toEqual(['A=1', 'B=2']);
    expect(action.get('CHANNEL')).toBe('Local/1@t');
    expect(action.connectionId).toBe(1);
    expect(server.connections[0].actions.map((recorded) => recorded.name)).toEqual(['Login', 'Originate']);
  });

  it('a custom handler that throws answers Response: Error with its message', async () => {
    const server = await harness.server();
    server.onAction('Broken', () => {
      throw new Error('handler exploded');
    });
    server.onAction('BrokenAsync', async () => {
      throw new Error('async handler exploded');
    });
    const client = harness.client(server);
    await client.connect();
    const error = await rejectionOf(client.send({ Action: 'Broken' }));
    expect((error as AmiActionError).response.Message).toBe('handler exploded');
    const asyncError = await rejectionOf(client.send({ Action: 'BrokenAsync' }));
    expect((asyncError as AmiActionError).response.Message).toBe('async handler exploded');
  });

  it('onAction returns an undo that restores the simulator', async () => {
    const server = await harness.server();
    const undo = server.onAction('Ping', () => ({ Response: 'Success', Ping: 'Custom' }));
    const client = harness.client(server);
    await client.connect();
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Custom');
    undo();
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
  });
});

describe('FakeAmiServer events', () => {
  it('honours the login event mask: off, a class list, or all', async () => {
    const server = await harness.server();
    const all = harness.client(server);
    const none = harness.client(server, { events: false });
    const callOnly = harness.client(server, { events: ['call'] });
    const seen = new Map<string, string[]>([
      ['all', []],
      ['none', []],
      ['call', []],
    ]);
    all.onEvent('*', (event) => void seen.get('all')?.push(event.Event));
    none.onEvent('*', (event) => void seen.get('none')?.push(event.Event));
    callOnly.onEvent('*', (event) => void seen.get('call')?.push(event.Event));
    await Promise.all([all.connect(), none.connect(), callOnly.connect()]);
    expect(server.emitEvent({ Event: 'Newexten', Privilege: 'dialplan,all' })).toBe(1);
    expect(server.emitEvent({ Event: 'Hangup', Privilege: 'call,all' })).toBe(2);
    await all.send({ Action: 'Ping' });
    await callOnly.send({ Action: 'Ping' });
    await none.send({ Action: 'Ping' });
    expect(seen.get('all')).toEqual(['FullyBooted', 'Newexten', 'Hangup']);
    expect(seen.get('call')).toEqual(['Hangup']);
    expect(seen.get('none')).toEqual([]);
  });

  it('sends no event to a connection that has not logged in', async () => {
    const server = await harness.server();
    const session = await rawSession(server);
    expect(server.emitEvent({ Event: 'Hangup', Privilege: 'call,all' })).toBe(0);
    session.close();
  });

  it('a synchronous Originate to a busy destination answers Originate failed', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const error = await rejectionOf(
      client.originate({ Channel: 'PJSIP/busy', Context: 'test', Exten: '100' }, { waitForResult: false }),
    );
    expect((error as AmiActionError).response.Message).toBe('Originate failed');
    expect(server.channels).toEqual([]);
  });
});

describe('FakeAmiServer lifecycle', () => {
  it('close() leaves no socket, server or timer behind, even with a call in progress', async () => {
    const resources = trackResources(['Timeout', 'TCPWRAP', 'TCPSERVERWRAP']);
    try {
      const server = await FakeAmiServer.start({ callDuration: 60_000 });
      const session = await rawSession(server);
      session.write('Action: Login\r\nUsername: admin\r\nSecret: secret\r\n\r\n');
      session.write(
        'Action: Originate\r\nChannel: Local/100@test\r\nExten: answer\r\nContext: test\r\nAsync: yes\r\n\r\n',
      );
      await waitUntil(() => server.channels.length === 2);
      const waiting = rejectionOf(server.waitForAction('NeverSent', { timeout: 60_000 }));
      await server.close();
      await session.closed;
      expect((await waiting).message).toMatch(/closed/);
      expect(await resources.leftOver()).toBe(0);
      // A closed server refuses new connections.
      const refused = connect(server.port, '127.0.0.1');
      const error = await new Promise<NodeJS.ErrnoException>((resolve) => refused.once('error', resolve));
      expect(error.code).toBe('ECONNREFUSED');
    } finally {
      resources.stop();
    }
  });

  it('waitFor... rejects after its timeout', async () => {
    const server = await harness.server();
    expect((await rejectionOf(server.waitForLogins(1, 50))).message).toMatch(/no 1 login\(s\) within 50 ms/);
  });

  it('counts connections and logins, and stopAnswering still records actions', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    server.stopAnswering();
    const ping = client.send({ Action: 'Ping' }, { timeout: 100 });
    await server.waitForAction('Ping');
    await expect(ping).rejects.toThrow(/no answer/);
    server.resumeAnswering();
    expect((await client.send({ Action: 'Ping' })).Ping).toBe('Pong');
    expect(server.connectionCount).toBe(1);
    expect(server.loginCount).toBe(1);
    expect(server.actions.map((action) => action.name)).toEqual(['Login', 'Ping', 'Ping']);
  });
});
