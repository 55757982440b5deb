import { createServer, type Server, type Socket } from 'node:net';
import type { AmiLogger } from '../client/ami-client.types.js';
import { silentLogger } from '../client/ami-logger.js';
import type { AgiCall } from './agi-call.js';
import type { AmiAgiError } from './agi-errors.js';
import { type AgiHandler, AmiAgiRouter } from './agi-router.js';
import { runAgiSession } from './agi-session-runner.js';
import { FastAgiConnection } from './fast-agi-connection.js';
import { DEFAULT_FAST_AGI_LIMITS, type FastAgiLimits } from './fast-agi-reader.js';

export interface AmiFastAgiServerOptions {
  /** Default 4573, FastAGI's port. 0 picks a free one (read it back from `port` after listen()). */
  port?: number;
  /** Default 127.0.0.1: AGI gives control of calls, so listening wider must be a choice. */
  host?: string;
  /** Handlers by script name; the server creates its own when not given. */
  router?: AmiAgiRouter;
  logger?: AmiLogger;
  /** Hang up the channel when a handler throws (default true). */
  hangupOnError?: boolean;
  onError?: (error: unknown, call: AgiCall) => void;
  /** Called when a peer is closed for breaking the protocol (garbage, flood, stall). */
  onProtocolError?: (error: AmiAgiError) => void;
  limits?: Partial<FastAgiLimits>;
  /** Milliseconds a peer has to send its environment (default 10 000). */
  environmentTimeout?: number;
  /** Default timeout of short commands such as ANSWER or SET VARIABLE (default 30 000 ms). */
  commandTimeout?: number;
  /** Most simultaneous connections (default 1000); more are closed at once. */
  maxConnections?: number;
}

/**
 * A FastAGI server: `AGI(agi://127.0.0.1:4573/main-menu)` in the dialplan runs the handler routed for
 * `main-menu`. Framework-free; the Nest module starts and stops one with the application.
 */
export class AmiFastAgiServer {
  readonly router: AmiAgiRouter;
  private readonly server: Server;
  private readonly sessions = new Set<Promise<void>>();
  private readonly sockets = new Set<Socket>();
  private readonly logger: AmiLogger;
  private boundPort: number | undefined;

  constructor(private readonly options: AmiFastAgiServerOptions = {}) {
    this.router = options.router ?? new AmiAgiRouter();
    this.logger = options.logger ?? silentLogger;
    this.server = createServer((socket) => this.accept(socket));
    this.server.maxConnections = options.maxConnections ?? 1000;
  }

  /** Shorthand for `router.route`. */
  route(script: string, handler: AgiHandler): () => void {
    return this.router.route(script, handler);
  }

  /** The port listened on, once listening. */
  get port(): number | undefined {
    return this.boundPort;
  }

  /** Sessions whose handler has not finished yet. */
  get activeSessionCount(): number {
    return this.sessions.size;
  }

  /** Open TCP connections (sessions and peers still sending their environment). */
  get connectionCount(): number {
    return this.sockets.size;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 4573, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.boundPort = typeof address === 'object' && address !== null ? address.port : undefined;
        resolve(this.boundPort ?? 0);
      });
    });
  }

  /**
   * Stops accepting, waits up to `graceMs` for running handlers, then closes what is left (their channels
   * see the AGI end and go on in the dialplan).
   */
  async close(graceMs = 5_000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.sessions.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.sessions]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    new FastAgiConnection(socket, {
      limits: { ...DEFAULT_FAST_AGI_LIMITS, ...this.options.limits },
      environmentTimeout: this.options.environmentTimeout ?? 10_000,
      commandTimeout: this.options.commandTimeout ?? 30_000,
      onCall: (call) => this.run(call),
      onProtocolError: (error) => {
        this.logger.warn(`FastAGI: closed a peer: ${error.message}`);
        this.options.onProtocolError?.(error);
      },
    });
  }

  private run(call: AgiCall): void {
    const session = runAgiSession(call, this.router, {
      logger: this.logger,
      hangupOnError: this.options.hangupOnError,
      onError: this.options.onError,
    });
    this.sessions.add(session);
    void session.finally(() => this.sessions.delete(session));
  }
}
