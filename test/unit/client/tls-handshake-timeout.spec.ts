import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { AmiConnectionError, AmiProtocolError, type AmiReconnectingInfo } from '../../../lib/client.js';
import { Harness, rejectionOf } from './support.js';

const harness = new Harness();
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((closed) => server.close(closed))));
});

/** Listens on a free loopback port, closed after the test; resolves with the port. */
async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** A TCP server that accepts, reads the ClientHello, and never answers it. */
async function handshakeBlackHole(): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.push(socket);
    socket.resume();
  });
  return { port: await listen(server), accepted: () => accepted };
}

// A self-signed certificate for 127.0.0.1 (P-256, valid 100 years), made for this test only.
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/V+kqSnuCsUg4Fef
JuABjGOsrba5J4RCUQ5H8GDas/KhRANCAATLYbPolaOAai6ssuXWWckxpfiPG1d4
sAAAV8ExJD1D9TEcfE0IsKAmgMWHDlxy6DL1PrlfNmtl1RxMAvDRJ7vV
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUPwjyaImik0cF7qC+lZ7cfl8c2NwwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMjA1MjM0NloYDzIxMjYxMTA4
MDUyMzQ2WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATLYbPolaOAai6ssuXWWckxpfiPG1d4sAAAV8ExJD1D9TEcfE0IsKAm
gMWHDlxy6DL1PrlfNmtl1RxMAvDRJ7vVo2QwYjAdBgNVHQ4EFgQUU5dFQ37V8Fvr
y+AG9yx5N5NzYwUwHwYDVR0jBBgwFoAUU5dFQ37V8Fvry+AG9yx5N5NzYwUwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IEi0WKmDs4+ygqYWtKGQfEVlLZJIn1GhQQ19SGQLmV/WAiEA5llR/+Ob/XFP/j+m
0rWJxLwvfiAAtvswvtJv2ud3v1w=
-----END CERTIFICATE-----`;

/** A TLS server that completes the handshake, then says nothing: connected, but not AMI. */
async function silentTlsServer(): Promise<number> {
  const server = createTlsServer({ key: KEY, cert: CERT }, (socket) => {
    sockets.push(socket);
    socket.resume();
  });
  return listen(server);
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

  it('once the handshake is done, silence is still "not an AMI server"', async () => {
    const port = await silentTlsServer();
    const client = harness.client(port, { tls: { ca: CERT }, connectTimeout: 300 });
    const error = await rejectionOf(client.connect());
    expect(error).toBeInstanceOf(AmiProtocolError);
    expect(error.message).toMatch(/no AMI banner .* within 300 ms/);
  });
});
