import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of Asterisk that counts what the server sends: bytes, and event frames by name
 * (read from the bytes, so it sees what Asterisk sent, not what the client let through).
 */
export class CountingProxy {
  bytes = 0;
  readonly events = new Map<string, number>();
  private text = '';
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(host: string, port: number): Promise<CountingProxy> {
    let proxy: CountingProxy | undefined;
    const server = createServer((client) => proxy?.relay(client, connect({ host, port })));
    proxy = new CountingProxy(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Event frames received, all names together. */
  get eventCount(): number {
    let total = 0;
    for (const count of this.events.values()) total += count;
    return total;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private relay(client: Socket, server: Socket): void {
    for (const socket of [client, server]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    }
    client.pipe(server);
    server.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.count(chunk.toString('latin1'));
      client.write(chunk);
    });
    server.on('close', () => client.destroy());
    client.on('close', () => server.destroy());
  }

  private count(chunk: string): void {
    this.text += chunk;
    let end = this.text.indexOf('\r\n\r\n');
    while (end !== -1) {
      const frame = /^Event: ([^\r\n]*)/.exec(this.text.slice(0, end));
      if (frame !== null) this.events.set(frame[1], (this.events.get(frame[1]) ?? 0) + 1);
      this.text = this.text.slice(end + 4);
      end = this.text.indexOf('\r\n\r\n');
    }
  }
}
