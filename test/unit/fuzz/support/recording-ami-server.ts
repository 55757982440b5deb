import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

/** One frame a client wrote, as raw text and as its headers. */
export interface RecordedFrame {
  text: string;
  headers: [string, string][];
}

/**
 * A minimal AMI peer that records every byte clients write: it greets, accepts any login, answers
 * Challenge and Ping, and says Success to the rest. For faults a real Asterisk cannot be asked to make.
 */
export class RecordingAmiServer {
  readonly frames: RecordedFrame[] = [];
  connections = 0;
  bytesReceived = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(): Promise<RecordingAmiServer> {
    const server = new RecordingAmiServer();
    server.server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    return server;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** Resolves once every client socket has closed (so every byte sent has been counted). */
  async drained(): Promise<void> {
    while (this.sockets.size > 0) await once([...this.sockets][0], 'close');
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.drained();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write('Asterisk Call Manager/11.0.0\r\n');
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      buffered += chunk.toString('utf8');
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) break;
        const text = buffered.slice(0, end + 4);
        buffered = buffered.slice(end + 4);
        this.answer(socket, this.record(text));
      }
    });
  }

  private record(text: string): RecordedFrame {
    const headers = text
      .slice(0, -4)
      .split('\r\n')
      .map((line): [string, string] => {
        const colon = line.indexOf(':');
        return colon === -1 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).trimStart()];
      });
    const frame = { text, headers };
    this.frames.push(frame);
    return frame;
  }

  private answer(socket: Socket, frame: RecordedFrame): void {
    const header = (name: string) => frame.headers.find(([key]) => key.toLowerCase() === name)?.[1];
    const action = header('action')?.toLowerCase();
    const id = header('actionid');
    const actionId = id === undefined ? '' : `ActionID: ${id}\r\n`;
    if (action === 'challenge') socket.write(`Response: Success\r\n${actionId}Challenge: 123456789\r\n\r\n`);
    else if (action === 'ping') socket.write(`Response: Success\r\n${actionId}Ping: Pong\r\n\r\n`);
    else if (action === 'logoff') socket.end(`Response: Goodbye\r\n${actionId}Message: Bye\r\n\r\n`);
    else socket.write(`Response: Success\r\n${actionId}Message: ok\r\n\r\n`);
  }
}
