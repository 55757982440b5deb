import type { Socket } from 'node:net';
import { AmiConnectionError, type AmiError, AmiProtocolError } from '../errors/ami-errors.js';
import type { AmiAction } from '../protocol/action-serializer.js';
import type { AmiMessage, AmiResponse } from '../protocol/ami-message.js';
import { AmiFrameParser } from '../protocol/frame-parser.js';
import type { AmiDisconnectReason } from './ami-client.types.js';
import type { ResolvedAmiClientOptions } from './ami-client-options.js';
import { type AmiLoginFilter, EVENTS_HELD_BACK, installEventFilter } from './filters/install-event-filter.js';
import { KeepAlive } from './keep-alive.js';
import { logIn } from './login.js';
import { openSocket } from './open-socket.js';
import { WriteBatcher } from './write-batcher.js';

/** What a session tells its client. */
export interface AmiSessionListener {
  /** The AMI banner was read: the peer speaks AMI. */
  onBanner(version: string): void;
  /** Each message the server sends, in order. */
  onMessage(message: AmiMessage): void;
  /** A socket, protocol or dead-peer failure once logged in (before, `open()` rejects with it). */
  onFailure(error: AmiError): void;
  /** The socket closed: the session is over. Told once. */
  onLost(loss: AmiSessionLoss): void;
}

export interface AmiSessionLoss {
  reason: AmiDisconnectReason;
  error?: Error;
  /** The banner was read (the client told of a `connect`, so it owes a `disconnect`). */
  announced: boolean;
  loggedIn: boolean;
}

/**
 * Sends an action over this session and resolves with its response, or rejects (AmiTimeoutError after
 * `timeout` ms, AmiDisconnectedError when the session closes first). Correlating by ActionID is the
 * client's: it gives the session this function for the login and the pings.
 */
export type AmiSessionSend = (action: AmiAction, timeout: number) => Promise<AmiResponse>;

interface BannerWait {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One connection's whole life, from the socket's opening to its close: the banner awaited within the
 * connect timeout, the login, the keep-alive, the graceful close, and why it was lost. A reconnection
 * makes a new session. It tells its client what happens through an `AmiSessionListener`.
 */
export class AmiSession {
  private readonly socket: Socket;
  private readonly parser: AmiFrameParser;
  private readonly writer: WriteBatcher;
  private keepAlive: KeepAlive | null = null;
  private bannerWait: BannerWait | null = null;
  private announced = false;
  private isLoggedIn = false;
  /** TCP is connected and, over TLS, the handshake is done: from then on, silence means "not AMI". */
  private transportReady = false;
  /** The client asked for the close (`close()`): a close with no other reason is a logoff. */
  private closeRequested = false;
  private lossReason: AmiDisconnectReason | null = null;
  private lossError: Error | undefined;

  constructor(
    private readonly options: ResolvedAmiClientOptions,
    private readonly listener: AmiSessionListener,
    private readonly send: AmiSessionSend,
    /** Filters the session's events at login, before they flow; null: unfiltered. */
    private readonly loginFilter: AmiLoginFilter | null = null,
  ) {
    const { host, port, tls, encoding } = options;
    this.socket = openSocket(host, port, tls, (chunk) => this.parser.push(chunk));
    this.socket.setNoDelay(true);
    this.socket.once(tls === null ? 'connect' : 'secureConnect', () => {
      this.transportReady = true;
    });
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.onSocketError(error));
    this.socket.on('close', () => this.onClose());
    this.parser = new AmiFrameParser(
      {
        onBanner: (version) => this.onBanner(version),
        onMessage: (message) => listener.onMessage(message),
        onProtocolError: (error) => this.fail('protocol', error),
      },
      encoding,
      { maxFrameSize: options.maxFrameSize, maxHeaders: options.maxHeaders },
    );
    this.writer = new WriteBatcher(this.socket, encoding);
  }

  get loggedIn(): boolean {
    return this.isLoggedIn;
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  /**
   * Waits for the banner, then logs in; the keep-alive starts once logged in. Rejects with
   * AmiConnectionError, AmiProtocolError or AmiAuthenticationError, the session then being lost.
   */
  async open(): Promise<void> {
    await this.readBanner();
    try {
      const send = (action: AmiAction) => this.send(action, this.options.loginTimeout);
      const filter = this.loginFilter;
      if (filter === null) await logIn(send, this.options, () => this.lossError);
      else {
        // Not a spread: the secret is a non-enumerable getter.
        const { username, secret, auth, loginTimeout } = this.options;
        const options = { username, secret, auth, loginTimeout, events: EVENTS_HELD_BACK };
        const install = () => installEventFilter(send, filter, this.options.events);
        await logIn(send, options, () => this.lossError, install);
      }
    } catch (error) {
      this.lose('error', error as Error);
      throw error;
    }
    this.isLoggedIn = true;
    this.startKeepAlive();
  }

  /** Queues a frame; frames written in the same tick leave in one socket write. */
  write(frame: string): void {
    this.writer.write(frame);
  }

  ref(): void {
    this.socket.ref();
  }

  unref(): void {
    this.socket.unref();
  }

  /** Notes why the connection is about to end (a Shutdown event, our Logoff), unless a reason is noted. */
  expectLoss(reason: AmiDisconnectReason): void {
    this.lossReason ??= reason;
  }

  /** Closes at once; `reason` is what the loss will say, unless one was already noted. */
  lose(reason: AmiDisconnectReason, error?: Error): void {
    this.lossReason ??= reason;
    this.lossError ??= error;
    this.socket.destroy();
  }

  /** Ends the connection, destroying it if the close takes longer than `logoffTimeout`; resolves once closed. */
  close(): Promise<void> {
    this.closeRequested = true;
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.socket.destroy(), this.options.logoffTimeout);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.end();
    });
  }

  private readBanner(): Promise<void> {
    return new Promise((resolve, reject) => {
      const { host, port, connectTimeout } = this.options;
      const timer = setTimeout(() => {
        // A TLS socket is 'open' once TCP connects: a handshake that never ends is still connecting.
        const handshaking = this.socket.readyState === 'open' ? ' (TLS handshake not completed)' : '';
        this.settleBannerWait(
          this.transportReady
            ? new AmiProtocolError(
                `no AMI banner from ${host}:${port} within ${connectTimeout} ms: not an AMI server?`,
              )
            : new AmiConnectionError(
                `connecting to ${host}:${port} timed out after ${connectTimeout} ms${handshaking}`,
                'ETIMEDOUT',
              ),
        );
      }, connectTimeout);
      this.bannerWait = { resolve, reject, timer };
    });
  }

  /** Ends the wait for the banner: read (no error), or failed (the session is then lost). */
  private settleBannerWait(error?: Error): void {
    const wait = this.bannerWait;
    if (wait === null) return;
    this.bannerWait = null;
    clearTimeout(wait.timer);
    if (error === undefined) return wait.resolve();
    this.lose('error', error);
    wait.reject(error);
  }

  private onBanner(version: string): void {
    this.announced = true;
    this.settleBannerWait();
    this.listener.onBanner(version);
  }

  private onSocketError(error: NodeJS.ErrnoException): void {
    const { host, port } = this.options;
    const wrapped = new AmiConnectionError(`${host}:${port}: ${error.message}`, error.code, { cause: error });
    this.lossReason ??= 'error';
    this.lossError ??= wrapped;
    if (this.isLoggedIn) this.listener.onFailure(wrapped);
    this.settleBannerWait(wrapped);
  }

  private fail(reason: AmiDisconnectReason, error: AmiError): void {
    if (this.isLoggedIn) this.listener.onFailure(error);
    this.settleBannerWait(error);
    this.lose(reason, error);
  }

  private onClose(): void {
    const { host, port } = this.options;
    this.settleBannerWait(
      this.lossError ?? new AmiConnectionError(`${host}:${port} closed the connection before the AMI banner`),
    );
    this.keepAlive?.stop();
    this.listener.onLost({
      reason: this.lossReason ?? (this.closeRequested ? 'logoff' : 'closed'),
      error: this.lossError,
      announced: this.announced,
      loggedIn: this.isLoggedIn,
    });
  }

  private startKeepAlive(): void {
    const options = this.options.keepAlive;
    if (options === null || this.closed) return;
    const ping = (timeout: number) => this.send({ Action: 'Ping' }, timeout);
    this.keepAlive = new KeepAlive(options, ping, (dead) => {
      this.keepAlive?.stop();
      this.fail('keepalive', dead);
    });
  }
}
