import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

/** How the proxy shapes the bytes it forwards. */
interface Shaping {
  /** Added to every chunk, both ways, in ms (order is kept). */
  latencyMs: number;
  /** Server-to-client bandwidth in bytes per second; 0: unlimited. */
  bytesPerSecond: number;
  /** Throttled bytes leave in writes of at most this many bytes. */
  sliceBytes: number;
}

const LOGIN_LINE = /^Action: ?Login\r?$/im;
const SHUTDOWN_EVENT = '\nEvent: Shutdown\r\n';
const NO_SHAPING: Shaping = { latencyMs: 0, bytesPerSecond: 0, sliceBytes: 0 };
const THROTTLE_TICK_MS = 10;

/**
 * A TCP proxy between the client and Asterisk that breaks the connection on demand: silence
 * (half-open), cuts in the middle of a frame, latency, and bandwidth limits.
 */
export class FaultProxy {
  target: ProxyTarget;
  /** Connections accepted since the start. */
  accepted = 0;
  /**
   * Shutdown events passed on to clients. Asterisk sends one before it closes its sessions, but when a
   * client's last bytes are still unread there the close can be a reset, which can overtake the event.
   */
  shutdownsForwarded = 0;
  private readonly links = new Set<Link>();
  private readonly server: Server;
  private shaping: Shaping = NO_SHAPING;
  private silent = false;
  private loginCuts = 0;
  private readonly clientText: string[] = [];

  private constructor(target: ProxyTarget) {
    this.target = target;
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  static async start(target: ProxyTarget): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get openConnections(): number {
    return this.links.size;
  }

  /** How many times clients sent this action (e.g. `Login`), read from what they wrote. */
  actionsSent(action: string): number {
    const line = new RegExp(`^Action: ?${action}\\r?$`, 'gim');
    return this.clientText.join('').match(line)?.length ?? 0;
  }

  /**
   * Half-open: every current and new connection stays open but nothing crosses it any more, and no
   * close is passed on. Only the client can notice (keepalive); `restore` lets new connections through.
   */
  silence(): void {
    this.silent = true;
    for (const link of this.links) link.silence();
  }

  restore(): void {
    this.silent = false;
    this.shaping = NO_SHAPING;
  }

  /** The next `count` connections are cut (FIN) when their Login arrives, before Asterisk reads it. */
  cutLogins(count: number): void {
    this.loginCuts = count;
  }

  delay(latencyMs: number): void {
    this.shaping = { ...this.shaping, latencyMs };
  }

  throttle(bytesPerSecond: number, sliceBytes: number): void {
    this.shaping = { ...this.shaping, bytesPerSecond, sliceBytes };
  }

  /**
   * Cuts every connection in the middle of the next server frame it forwards: the client gets part
   * of a frame, then a FIN (`reset: false`) or an RST. Resolves with how many cuts fell mid-frame.
   */
  async cut({ reset }: { reset: boolean }): Promise<number> {
    const cuts = [...this.links].map((link) => link.cutMidFrame(reset));
    const midFrame = await Promise.all(cuts);
    return midFrame.filter(Boolean).length;
  }

  async close(): Promise<void> {
    for (const link of this.links) link.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    const index = this.clientText.push('') - 1;
    let serverTail = '';
    const link = new Link(
      client,
      this.target,
      () => this.shaping,
      (text) => {
        const seen = serverTail + text;
        for (let at = seen.indexOf(SHUTDOWN_EVENT); at !== -1; at = seen.indexOf(SHUTDOWN_EVENT, at + 1)) {
          if (at + SHUTDOWN_EVENT.length > serverTail.length) this.shutdownsForwarded += 1;
        }
        serverTail = seen.slice(-(SHUTDOWN_EVENT.length - 1));
      },
      (text) => {
        const loggedInBefore = LOGIN_LINE.test(this.clientText[index]);
        this.clientText[index] += text;
        const loginNow = !loggedInBefore && LOGIN_LINE.test(this.clientText[index]);
        if (!loginNow || this.loginCuts === 0) return false;
        this.loginCuts -= 1;
        return true;
      },
    );
    this.links.add(link);
    link.closed.then(() => this.links.delete(link));
    if (this.silent) link.silence();
  }
}

/** One client connection and its upstream connection. */
class Link {
  readonly closed: Promise<void>;
  private readonly upstream: Socket;
  private readonly down: Pipe;
  private readonly up: Pipe;
  private silent = false;

  constructor(
    private readonly client: Socket,
    target: ProxyTarget,
    shaping: () => Shaping,
    /** Sees what the server sends, as it is passed on. */
    onServerText: (text: string) => void,
    /** Records what the client wrote; true when the connection must be cut right there. */
    onClientText: (text: string) => boolean,
  ) {
    this.upstream = connect({ host: target.host, port: target.port, noDelay: true });
    this.down = new Pipe(client, shaping, true);
    this.up = new Pipe(this.upstream, shaping, false);
    client.on('data', (chunk: Buffer) => {
      const cut = onClientText(chunk.toString('latin1'));
      if (this.silent) return;
      if (cut) this.breakBoth(Buffer.alloc(0), false);
      else this.up.push(chunk);
    });
    this.upstream.on('data', (chunk: Buffer) => {
      if (this.silent) return;
      onServerText(chunk.toString('latin1'));
      this.down.push(chunk);
    });
    // Ends are passed on after the bytes queued before them; nothing is passed on while silent.
    client.on('end', () => {
      if (!this.silent) this.up.end();
    });
    this.upstream.on('end', () => {
      if (!this.silent) this.down.end();
    });
    client.on('error', () => undefined);
    this.upstream.on('error', () => undefined);
    const clientClosed = closeOf(client);
    const upstreamClosed = closeOf(this.upstream);
    // The client gone, the upstream goes too (a real half-open server would time out eventually).
    clientClosed.then(() => this.upstream.destroy());
    upstreamClosed.then(() => {
      if (!this.silent) this.down.end();
    });
    this.closed = Promise.all([clientClosed, upstreamClosed]).then(() => {
      this.down.clear();
      this.up.clear();
    });
  }

  silence(): void {
    this.silent = true;
    this.down.clear();
    this.up.clear();
  }

  /** Resolves true when the cut fell inside a frame, false when no bytes came in time to cut one. */
  cutMidFrame(reset: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const fallback = setTimeout(() => {
        this.down.onNextWrite = null;
        this.breakBoth(Buffer.alloc(0), reset);
        resolve(false);
      }, 1_000);
      this.down.onNextWrite = (chunk) => {
        clearTimeout(fallback);
        this.breakBoth(partOfFrame(chunk), reset);
        resolve(true);
      };
    });
  }

  destroy(): void {
    this.client.destroy();
    this.upstream.destroy();
  }

  private breakBoth(part: Buffer, reset: boolean): void {
    this.silent = true;
    this.down.clear();
    this.up.clear();
    this.upstream.destroy();
    // An RST right behind the last bytes reached the client as a plain end here (read as EOF):
    // a short pause lets the half frame be read first, then the RST is seen as ECONNRESET.
    if (reset) this.client.write(part, () => setTimeout(() => this.client.resetAndDestroy(), 20));
    else this.client.end(part);
  }
}

// Unlike events.once, never rejects: an error (refused, reset) is always followed by the close.
function closeOf(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

// Some bytes of the chunk that stop short of any frame end, so the client holds half a frame.
function partOfFrame(chunk: Buffer): Buffer {
  let end = Math.max(1, Math.floor(chunk.length / 2));
  while (end > 1 && (chunk[end - 1] === 0x0a || chunk[end - 1] === 0x0d)) end--;
  return chunk.subarray(0, end);
}

/** One direction of a link: latency and bandwidth shaping, order kept, end passed on after the data. */
class Pipe {
  /** When set, the next chunk is handed to it instead of being written (for cuts). */
  onNextWrite: ((chunk: Buffer) => void) | null = null;
  private readonly queue: { chunk: Buffer; at: number }[] = [];
  private ending = false;
  private timer: NodeJS.Timeout | null = null;
  private tokens = 0;
  private lastRefill = Date.now();

  constructor(
    private readonly to: Socket,
    private readonly shaping: () => Shaping,
    private readonly throttled: boolean,
  ) {}

  push(chunk: Buffer): void {
    this.queue.push({ chunk, at: Date.now() + this.shaping().latencyMs });
    this.pump();
  }

  end(): void {
    this.ending = true;
    this.pump();
  }

  clear(): void {
    this.queue.length = 0;
    this.ending = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly pump = (): void => {
    if (this.timer !== null) return;
    const now = Date.now();
    const { bytesPerSecond, sliceBytes } = this.shaping();
    const limited = this.throttled && bytesPerSecond > 0;
    if (limited) {
      this.tokens = Math.min(
        bytesPerSecond / 20,
        this.tokens + ((now - this.lastRefill) * bytesPerSecond) / 1000,
      );
    }
    this.lastRefill = now;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.at > now) return this.wait(head.at - now);
      if (!limited) {
        this.queue.shift();
        this.write(head.chunk);
        continue;
      }
      if (this.tokens < 1) return this.wait(THROTTLE_TICK_MS);
      const size = Math.min(sliceBytes, head.chunk.length, Math.floor(this.tokens));
      this.tokens -= size;
      this.write(head.chunk.subarray(0, size));
      if (size === head.chunk.length) this.queue.shift();
      else head.chunk = head.chunk.subarray(size);
    }
    if (this.ending && !this.to.destroyed) this.to.end();
  };

  private wait(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, ms);
  }

  private write(chunk: Buffer): void {
    const interceptor = this.onNextWrite;
    if (interceptor !== null) {
      this.onNextWrite = null;
      interceptor(chunk);
      return;
    }
    if (!this.to.destroyed) this.to.write(chunk);
  }
}
