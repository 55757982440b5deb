import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { AgiCall } from '../../../lib/agi/agi-call.js';
import { type AmiAgiError, AmiAgiHangupError, AmiAgiProtocolError } from '../../../lib/agi/agi-errors.js';
import { AmiFastAgiServer } from '../../../lib/agi/fast-agi-server.js';

const ENV =
  'agi_network: yes\nagi_network_script: menu?x=1\nagi_request: agi://127.0.0.1/menu?x=1\nagi_channel: Local/1@t-0001;2\nagi_arg_1: a b\n\n';

async function withServer(options: ConstructorParameters<typeof AmiFastAgiServer>[0] = {}) {
  const protocolErrors: AmiAgiError[] = [];
  const server = new AmiFastAgiServer({
    port: 0,
    ...options,
    onProtocolError: (error) => protocolErrors.push(error),
  });
  const port = await server.listen();
  const sockets: Socket[] = [];
  const open = async () => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    const nextLine = async () => {
      while (!received.includes('\n')) await once(socket, 'data');
      const line = received.slice(0, received.indexOf('\n'));
      received = received.slice(received.indexOf('\n') + 1);
      return line;
    };
    return { socket, nextLine, closed: once(socket, 'close') };
  };
  return { server, open, protocolErrors, done: () => server.close(100) };
}

describe('AmiFastAgiServer', () => {
  it('routes by the script of the URL, types the environment and answers commands in order', async () => {
    const { server, open, done } = await withServer();
    const seen: Array<unknown> = [];
    server.route('menu', async (call: AgiCall) => {
      seen.push(call.script, call.arguments, call.channel);
      await call.answer();
      seen.push(await call.getData('welcome', { maxDigits: 1 }));
    });
    const peer = await open();
    peer.socket.write(ENV);
    expect(await peer.nextLine()).toBe('ANSWER');
    peer.socket.write('200 result=0\n');
    expect(await peer.nextLine()).toBe('GET DATA "welcome" "" "1"');
    peer.socket.write('200 result=2\n');
    await peer.closed;
    expect(seen).toEqual(['menu', ['a b'], 'Local/1@t-0001;2', '2']);
    expect(server.activeSessionCount).toBe(0);
    await done();
  });

  it('rejects the command in flight with AmiAgiHangupError on HANGUP and settles the handler', async () => {
    const { server, open, done } = await withServer();
    const outcome = new Promise<unknown>((resolve) => {
      server.route('menu', async (call) => {
        const results = await Promise.allSettled([call.streamFile('long'), call.answer()]);
        resolve(results.map((r) => (r.status === 'rejected' ? r.reason : r.value)));
      });
    });
    const peer = await open();
    peer.socket.write(ENV);
    await peer.nextLine();
    peer.socket.write('HANGUP\n');
    const [first, second] = (await outcome) as unknown[];
    expect(first).toBeInstanceOf(AmiAgiHangupError);
    expect(second).toBeInstanceOf(AmiAgiHangupError);
    await peer.closed;
    expect(server.activeSessionCount).toBe(0);
    await done();
  });

  it('hangs up the channel when the handler throws, and keeps serving', async () => {
    const { server, open, done } = await withServer();
    server.route('menu', async () => {
      throw new Error('boom');
    });
    const peer = await open();
    peer.socket.write(ENV);
    expect(await peer.nextLine()).toBe('HANGUP');
    peer.socket.write('200 result=1\n');
    await peer.closed;
    expect(server.activeSessionCount).toBe(0);
    await done();
  });

  it('closes a peer that sends garbage with AmiAgiProtocolError', async () => {
    const { open, protocolErrors, done } = await withServer();
    const peer = await open();
    peer.socket.write('GET / HTTP/1.1\r\n');
    await peer.closed;
    expect(protocolErrors[0]).toBeInstanceOf(AmiAgiProtocolError);
    await done();
  });

  it('closes a peer that floods a line without end, keeping at most one line in memory', async () => {
    const { server, open, protocolErrors, done } = await withServer({ limits: { maxLineLength: 1024 } });
    const peer = await open();
    peer.socket.on('error', () => undefined);
    peer.socket.write(`agi_x: ${'a'.repeat(4096)}`);
    await peer.closed;
    expect(protocolErrors[0]?.message).toMatch(/longer than 1024/);
    while (server.connectionCount > 0) await new Promise((resolve) => setImmediate(resolve));
    await done();
  });

  it('closes a peer that stalls before its environment ends', async () => {
    const { open, protocolErrors, done } = await withServer({ environmentTimeout: 50 });
    const peer = await open();
    peer.socket.write('agi_request: agi://x/menu\n');
    await peer.closed;
    expect(protocolErrors[0]?.message).toMatch(/no complete environment/);
    await done();
  });

  it('closes a peer that answers a command never sent, and the handler then gets AmiAgiProtocolError', async () => {
    const { server, open, protocolErrors, done } = await withServer();
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const settled = new Promise<unknown>((resolve) => {
      server.route('menu', async (call) => {
        await gate;
        resolve(await call.answer().catch((error: unknown) => error));
      });
    });
    const peer = await open();
    peer.socket.write(`${ENV}200 result=0\n`);
    await peer.closed;
    openGate();
    expect(await settled).toBeInstanceOf(AmiAgiProtocolError);
    expect(protocolErrors[0]).toBeInstanceOf(AmiAgiProtocolError);
    await done();
  });
});
