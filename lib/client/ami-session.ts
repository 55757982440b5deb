import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { AmiFrameParser, type FrameParserSink } from '../protocol/frame-parser.js';
import type { AmiDisconnectReason } from './ami-client.types.js';
import type { ResolvedAmiClientOptions } from './ami-client-options.js';
import { WriteBatcher } from './write-batcher.js';

/** One socket's life: from connect to close. A reconnect makes a new session. */
export class AmiSession {
  readonly socket: Socket;
  readonly parser: AmiFrameParser;
  readonly writer: WriteBatcher;
  amiVersion: string | null = null;
  /** The `connect` lifecycle event was emitted for this session, so `disconnect` must be too. */
  announced = false;
  loggedIn = false;
  /** TCP is connected and, over TLS, the handshake is done: from then on, silence means "not AMI". */
  transportReady = false;
  lossReason: AmiDisconnectReason | null = null;
  lossError: Error | undefined;

  constructor(options: ResolvedAmiClientOptions, sink: FrameParserSink) {
    this.socket = openSocket(options.host, options.port, options.tls, (chunk) => this.parser.push(chunk));
    this.socket.setNoDelay(true);
    this.socket.once(options.tls === null ? 'connect' : 'secureConnect', () => {
      this.transportReady = true;
    });
    this.parser = new AmiFrameParser(sink, options.encoding, {
      maxFrameSize: options.maxFrameSize,
      maxHeaders: options.maxHeaders,
    });
    this.writer = new WriteBatcher(this.socket, options.encoding);
  }

  /** Closes at once; `reason` is what the `disconnect` event will say, unless one was already set. */
  lose(reason: AmiDisconnectReason, error?: Error): void {
    this.lossReason ??= reason;
    this.lossError ??= error;
    this.socket.destroy();
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }
}

/**
 * Bytes a plain TCP socket reads at a time, into one buffer reused for every read: the parser copies
 * whatever it keeps of a chunk, so no read needs a buffer of its own (10 MiB of reads made 160 of them).
 */
const READ_BUFFER_SIZE = 64 * 1024;

function openSocket(
  host: string,
  port: number,
  tls: TlsConnectionOptions | null,
  onChunk: (chunk: Buffer) => void,
): Socket {
  if (tls === null) {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_SIZE);
    const callback = (length: number): boolean => {
      onChunk(buffer.subarray(0, length));
      return true;
    };
    return connectTcp({ host, port, onread: { buffer, callback } });
  }
  // TLS sockets take no `onread`.
  const servername = tls.servername ?? (isIP(host) === 0 ? host : undefined);
  return connectTls({ ...tls, host, port, servername }).on('data', onChunk);
}
