import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of Redis that can hold what clients write (a network that stalls, not one that
 * breaks): held bytes stay queued, in order, and reach Redis on release(), late. That is how a leader's
 * write can arrive after its lease ended: exactly what fencing is for.
 */
export class HoldProxy {
  private readonly server: Server;
  private readonly links = new Set<{ client: Socket; upstream: Socket; queue: Buffer[] }>();
  private holding = false;
  private muted = false;
  private port = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer({ noDelay: true }, (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<HoldProxy> {
    const proxy = new HoldProxy(target);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Bytes written from now on wait in the proxy. */
  hold(): void {
    this.holding = true;
  }

  /** Bytes held now, all connections together. */
  get heldBytes(): number {
    let bytes = 0;
    for (const link of this.links) for (const chunk of link.queue) bytes += chunk.length;
    return bytes;
  }

  /** Redis's answers are dropped from now on (until cut() and restore()): commands land, replies are lost. */
  muteReplies(): void {
    this.muted = true;
  }

  /** The held bytes go on to Redis, in order; later ones pass at once. Returns how many bytes were held. */
  release(): number {
    this.holding = false;
    let bytes = 0;
    for (const link of this.links) {
      for (const chunk of link.queue.splice(0)) {
        bytes += chunk.length;
        link.upstream.write(chunk);
      }
    }
    return bytes;
  }

  /**
   * Redis out of reach: every connection is cut and the port refuses new ones (ECONNREFUSED), until
   * restore(). Refused, not accepted then closed: ioredis answers a socket closed during its ready check
   * with a disconnect that leaves a 2 s timer behind, which would keep the test process alive.
   */
  cut(): void {
    this.server.close();
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
  }

  /** Listens again, on the same port. */
  async restore(): Promise<void> {
    this.muted = false;
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    // Already closed by cut(): the callback gets ERR_SERVER_NOT_RUNNING, and that is fine.
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect({ host: this.target.host, port: this.target.port, noDelay: true });
    const link = { client, upstream, queue: [] as Buffer[] };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => {
      if (this.holding) link.queue.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!this.muted) client.write(chunk);
    });
    const end = () => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  }
}
