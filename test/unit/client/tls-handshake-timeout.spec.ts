import { createServer, type Server, type Socket } from 'node:net';
import { AmiConnectionError, type AmiReconnectingInfo } from '../../../lib/client/index.js';
import { Harness, rejectionOf } from './support.js';

const harness = new Harness();
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((closed) => server.close(closed))));
});

/** A TCP server that accepts, reads the ClientHello, and never answers it. */
async function handshakeBlackHole(): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.push(socket);
    socket.resume();
  });
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { port: address.port, accepted: () => accepted };
}

describe('AmiClient over TLS: a handshake that never completes', () => {
  it('is a connection timeout (ETIMEDOUT), not "not an AMI server"', async () => {
    const { port } = await handshakeBlackHole();
    const client = harness.client(port, { tls: true, connectTimeout: 200 });
    const error = await rejectionOf(client.connect());
    expect(error).toBeInstanceOf(AmiConnectionError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    expect(error.message).toMatch(/timed out after 200 ms \(TLS handshake not completed\)/);
    expect(client.state).toBe('disconnected');
  });

  it('is retried like any connection timeout', async () => {
    const server = await handshakeBlackHole();
    const client = harness.client(server.port, {
      tls: true,
      connectTimeout: 150,
      reconnect: { initialDelay: 10, maxDelay: 20, jitter: 0, maxAttempts: 2 },
    });
    const reconnecting: AmiReconnectingInfo[] = [];
    client.on('reconnecting', (info) => reconnecting.push(info));
    const error = await rejectionOf(client.connect({ retry: true }));
    expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    expect(reconnecting.map((info) => [info.attempt, (info.error as AmiConnectionError).code])).toEqual([
      [1, 'ETIMEDOUT'],
      [2, 'ETIMEDOUT'],
    ]);
    expect(server.accepted()).toBe(3);
  });
});
