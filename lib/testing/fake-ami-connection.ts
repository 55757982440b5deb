import type { Socket } from 'node:net';
import { ActionReader } from './action-reader.js';
import { FakeAmiAction } from './fake-ami-action.js';
import { type FakeMessage, formatMessage } from './wire-format.js';

/** What a connection needs from its server. */
export interface ConnectionHost {
  onAction(action: FakeAmiAction, connection: FakeAmiConnection): void;
  onLogin(connection: FakeAmiConnection): void;
  onClose(connection: FakeAmiConnection): void;
  /** Writes a frame now, holds it (`FakeAmiServer.holdOutput`) or drops it (`FakeAmiServer.stopAnswering`). */
  output(connection: FakeAmiConnection, frame: string): void;
}

/** `all`, `none`, or the event classes asked for at login (`call`, `system`...). */
export type FakeEventMask = 'all' | 'none' | ReadonlySet<string>;

/** One client connection to the fake server. */
export class FakeAmiConnection {
  loggedIn = false;
  username: string | null = null;
  /** The challenge handed out by the last `Challenge` action, for an MD5 login. */
  challenge: string | null = null;
  eventMask: FakeEventMask = 'all';
  /** Every action this connection sent, in order. */
  readonly actions: FakeAmiAction[] = [];
  bytesReceived = 0;
  private readonly reader: ActionReader;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    this.reader = new ActionReader((headers, problem) => {
      const action = new FakeAmiAction(headers, id, problem);
      this.actions.push(action);
      this.host.onAction(action, this);
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      this.reader.push(chunk);
    });
    // Resets by the client are part of the tests; they end the connection and nothing more.
    socket.on('error', () => undefined);
    socket.on('close', () => this.host.onClose(this));
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  /** Answers `action`: each message gets the action's ActionID, as Asterisk echoes it. */
  reply(action: FakeAmiAction, messages: FakeMessage | readonly FakeMessage[]): void {
    for (const message of toList(messages)) this.host.output(this, formatMessage(message, action.actionId));
  }

  /** Sends messages as they are (events, or anything else). */
  send(messages: FakeMessage | readonly FakeMessage[]): void {
    for (const message of toList(messages)) this.host.output(this, formatMessage(message));
  }

  /** Sends text already framed (a legacy `Follows` answer), through the same hold and silence rules. */
  sendFrame(frame: string): void {
    this.host.output(this, frame);
  }

  /** Writes bytes now, whatever the server's hold or silence: garbage, half frames, anything. */
  sendRaw(data: string | Buffer): void {
    if (this.socket.writable) this.socket.write(data);
  }

  /** Whether an event with this `Privilege:` would reach this connection's event mask. */
  wantsEvent(event: FakeMessage): boolean {
    if (!this.loggedIn || this.eventMask === 'none') return false;
    const mask = this.eventMask;
    if (mask === 'all') return true;
    const privilege = event.Privilege;
    if (typeof privilege !== 'string') return true;
    return privilege.split(',').some((eventClass) => mask.has(eventClass.trim().toLowerCase()));
  }

  /** Marks the login done; `events` is the Login's `Events:` header. */
  logIn(username: string, events: string | undefined): void {
    this.loggedIn = true;
    this.username = username;
    this.eventMask = parseEventMask(events);
    this.host.onLogin(this);
  }

  /** The `Events` action: a new event mask (`EventMask:` as the Login's `Events:`). */
  setEventMask(events: string | undefined): void {
    this.eventMask = parseEventMask(events);
  }

  /** Closes after what was written so far is sent (Asterisk after Goodbye). */
  end(): void {
    this.socket.end();
  }

  /** Closes at once. */
  destroy(): void {
    this.socket.destroy();
  }
}

const ON = new Set(['on', 'yes', 'true', '1']);
const OFF = new Set(['off', 'no', 'false', '0']);

function parseEventMask(events: string | undefined): FakeEventMask {
  if (events === undefined) return 'all';
  const value = events.trim().toLowerCase();
  if (ON.has(value)) return 'all';
  if (OFF.has(value)) return 'none';
  return new Set(value.split(',').map((eventClass) => eventClass.trim()));
}

function toList(messages: FakeMessage | readonly FakeMessage[]): readonly FakeMessage[] {
  return Array.isArray(messages) ? (messages as readonly FakeMessage[]) : [messages as FakeMessage];
}
