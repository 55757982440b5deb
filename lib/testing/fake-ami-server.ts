import { EventEmitter } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { FakeAmiAction } from './fake-ami-action.js';
import { type ConnectionHost, FakeAmiConnection } from './fake-ami-connection.js';
import { type CallHost, CallSimulator, type SimulatedChannel } from './simulated-calls.js';
import {
  BUILT_IN_ACTIONS,
  builtInCommandOutput,
  type FakeReply,
  normalizeCommand,
  type SimulatorContext,
} from './simulator-actions.js';
import { WaitList } from './wait-list.js';
import type { FakeMessage } from './wire-format.js';

export interface FakeAmiSettings {
  /** Username -> secret. Default `{ admin: 'secret' }`. */
  users: Readonly<Record<string, string>>;
  /** Written as is on accept; `null` sends nothing (a silent peer). Default `Asterisk Call Manager/11.0.0\r\n`. */
  banner: string | Buffer | null;
  /** Accept, then close at once, before any banner. Default `false`. */
  closeOnAccept: boolean;
  /** Before login, only Login, Logoff and Challenge are allowed (others: `Permission denied`). Default `true`. */
  requireLogin: boolean;
  /** Delay before `Authentication failed`, in ms (Asterisk waits about 1 s). Default 0. */
  authFailureDelay: number;
  /** `output`: Asterisk 14+ `Output:` headers; `follows`: Asterisk 13's `Response: Follows` body. Default `output`. */
  commandStyle: 'output' | 'follows';
  /** How long an answered simulated call lasts before it hangs up, in ms. Default 2 000. */
  callDuration: number;
}

export interface FakeAmiServerOptions extends Partial<FakeAmiSettings> {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: any free port (read it from `server.port`). */
  port?: number;
}

/** A custom action handler. Return the reply (each message gets the ActionID), or nothing to stay silent. */
export type FakeActionHandler = (
  action: FakeAmiAction,
  connection: FakeAmiConnection,
  server: FakeAmiServer,
) => FakeReply | Promise<FakeReply>;

/** A CLI command's output: lines, text (split on `\n`), or a function of the command. */
export type FakeCommandOutput =
  | string
  | readonly string[]
  | ((command: string) => string | readonly string[]);

export type FakeOutputOrder = 'inOrder' | 'reverse' | 'shuffle';

export interface FakeAmiServerEvents {
  connection: [FakeAmiConnection];
  action: [FakeAmiAction, FakeAmiConnection];
  login: [FakeAmiConnection];
  disconnect: [FakeAmiConnection];
}

const DEFAULTS: FakeAmiSettings = {
  users: { admin: 'secret' },
  banner: 'Asterisk Call Manager/11.0.0\r\n',
  closeOnAccept: false,
  requireLogin: true,
  authFailureDelay: 0,
  commandStyle: 'output',
  callDuration: 2_000,
};

/** Answered before login, as by Asterisk. */
const PUBLIC_ACTIONS = new Set(['login', 'logoff', 'challenge']);
const PARTIAL_FRAME = 'Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/al';
const DEFAULT_WAIT = 5_000;

/**
 * An in-process AMI server: a small Asterisk simulator (Login, Logoff, Ping, Challenge, Command,
 * CoreShowChannels, empty BridgeList and QueueStatus, Originate with its call events) and the faults a real Asterisk does not produce
 * on demand. `close()` leaves no socket or timer behind.
 */
export class FakeAmiServer extends EventEmitter<FakeAmiServerEvents> implements SimulatorContext {
  /** Every action received, from every connection, in order. */
  readonly actions: FakeAmiAction[] = [];
  readonly calls: CallSimulator;
  private current: FakeAmiSettings;
  private readonly server: Server;
  private readonly accepted: FakeAmiConnection[] = [];
  private readonly open = new Set<FakeAmiConnection>();
  private readonly logins: FakeAmiConnection[] = [];
  private readonly handlers = new Map<string, FakeActionHandler>();
  private readonly commands = new Map<string, FakeCommandOutput>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waits = new WaitList();
  private readonly startedAt = Date.now();
  private readonly host: ConnectionHost;
  private held: { connection: FakeAmiConnection; frame: string }[] | null = null;
  private answering = true;
  private closing: Promise<void> | null = null;
  private listeningPort = 0;

  static async start(options: FakeAmiServerOptions = {}): Promise<FakeAmiServer> {
    const server = new FakeAmiServer(options);
    await server.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return server;
  }

  private constructor(options: FakeAmiServerOptions) {
    super();
    const { host: _host, port: _port, ...settings } = options;
    this.current = { ...DEFAULTS, ...withoutUndefined(settings) };
    this.calls = new CallSimulator(this.callHost());
    this.host = {
      onAction: (action, connection) => this.receive(action, connection),
      onLogin: (connection) => {
        this.logins.push(connection);
        this.emit('login', connection);
        this.notify();
      },
      onClose: (connection) => {
        this.open.delete(connection);
        this.emit('disconnect', connection);
        this.notify();
      },
      output: (connection, frame) => this.output(connection, frame),
    };
    this.server = createServer((socket) => this.accept(socket));
  }

  /** The port listened on (useful with `port: 0`). */
  get port(): number {
    return this.listeningPort;
  }

  get settings(): Readonly<FakeAmiSettings> {
    return this.current;
  }

  /** Changes settings for what comes next (a new banner for the next connection, other users...). */
  update(settings: Partial<FakeAmiSettings>): void {
    this.current = { ...this.current, ...withoutUndefined(settings) };
  }

  /** Open connections. */
  get connections(): FakeAmiConnection[] {
    return [...this.open];
  }

  /** Connections accepted since start, closed ones included. */
  get connectionCount(): number {
    return this.accepted.length;
  }

  /** Successful logins since start. */
  get loginCount(): number {
    return this.logins.length;
  }

  /** Bytes received from all clients since start. */
  get bytesReceived(): number {
    return this.accepted.reduce((total, connection) => total + connection.bytesReceived, 0);
  }

  /** The simulator's live channels (calls placed by Originate and not yet hung up). */
  get channels(): readonly SimulatedChannel[] {
    return this.calls.channels;
  }

  get uptime(): number {
    return Math.floor((Date.now() - this.startedAt) / 1000);
  }

  /** Answers an action (name case-insensitive) with `handler` instead of the simulator. Returns the undo. */
  onAction(name: string, handler: FakeActionHandler): () => void {
    const key = name.toLowerCase();
    this.handlers.set(key, handler);
    return () => {
      if (this.handlers.get(key) === handler) this.handlers.delete(key);
    };
  }

  /** Gives `Action: Command` an output for a CLI command. Returns the undo. */
  onCommand(command: string, output: FakeCommandOutput): () => void {
    const key = normalizeCommand(command);
    this.commands.set(key, output);
    return () => {
      if (this.commands.get(key) === output) this.commands.delete(key);
    };
  }

  commandOutput(command: string): readonly string[] | undefined {
    const custom = this.commands.get(normalizeCommand(command));
    if (custom === undefined) return builtInCommandOutput(command, this.calls.channels);
    const output = typeof custom === 'function' ? custom(command) : custom;
    return typeof output === 'string' ? output.split('\n') : output;
  }

  /** Sends an event to every logged-in connection whose event mask takes it. Returns how many. */
  emitEvent(event: FakeMessage): number {
    if (!this.answering) return 0;
    let count = 0;
    for (const connection of this.open) {
      if (!connection.wantsEvent(event)) continue;
      connection.send(event);
      count += 1;
    }
    return count;
  }

  /** Writes bytes to every open connection now, past any hold or silence. */
  sendRaw(data: string | Buffer): void {
    for (const connection of this.open) connection.sendRaw(data);
  }

  /**
   * Closes every open connection: at once, or with `midFrame` after half a message (then a normal
   * close). Returns how many were closed.
   */
  dropConnections(options: { midFrame?: boolean } = {}): number {
    const connections = [...this.open];
    for (const connection of connections) {
      if (options.midFrame) {
        connection.sendRaw(PARTIAL_FRAME);
        connection.end();
      } else {
        connection.destroy();
      }
    }
    return connections.length;
  }

  /** Half-open peer: connections stay open, actions are recorded, nothing is answered or sent. */
  stopAnswering(): void {
    this.answering = false;
  }

  resumeAnswering(): void {
    this.answering = true;
  }

  /** Keeps every outgoing message (replies and events) until `releaseOutput`. */
  holdOutput(): void {
    this.held ??= [];
  }

  /** Sends what `holdOutput` kept, in the order asked, and stops holding. Returns how many messages. */
  releaseOutput(order: FakeOutputOrder = 'inOrder'): number {
    const held = this.held ?? [];
    this.held = null;
    if (order === 'reverse') held.reverse();
    if (order === 'shuffle') shuffle(held);
    for (const { connection, frame } of held) connection.sendRaw(frame);
    return held.length;
  }

  /** Resolves with the `count`-th connection accepted since start. */
  waitForConnections(count = 1, timeout = DEFAULT_WAIT): Promise<FakeAmiConnection> {
    return this.waits.waitFor(() => this.accepted[count - 1], timeout, `${count} connection(s)`);
  }

  /** Resolves with the connection of the `count`-th successful login since start. */
  waitForLogins(count = 1, timeout = DEFAULT_WAIT): Promise<FakeAmiConnection> {
    return this.waits.waitFor(() => this.logins[count - 1], timeout, `${count} login(s)`);
  }

  /** Resolves with the `count`-th action named `name` (case-insensitive) received since start. */
  waitForAction(name: string, options: { count?: number; timeout?: number } = {}): Promise<FakeAmiAction> {
    const lower = name.toLowerCase();
    const count = options.count ?? 1;
    return this.waits.waitFor(
      () => this.actions.filter((action) => action.name.toLowerCase() === lower)[count - 1],
      options.timeout ?? DEFAULT_WAIT,
      `${count} ${name} action(s)`,
    );
  }

  /** Resolves once no connection is open. */
  waitForNoConnections(timeout = DEFAULT_WAIT): Promise<true> {
    return this.waits.waitFor(
      () => (this.open.size === 0 ? true : undefined),
      timeout,
      'all connections closed',
    );
  }

  /** Runs `run` after `ms`, unless the server is closed first. */
  later(ms: number, run: () => void): void {
    if (this.closing !== null) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  /** A delay for custom handlers, cancelled (never resolved) by `close()`. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }

  /** Stops listening, closes every connection, cancels every timer and pending wait. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.waits.failAll(new Error('FakeAmiServer closed'));
      this.held = null;
      this.server.close(() => resolve());
      for (const connection of this.open) connection.destroy();
    });
    return this.closing;
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.listeningPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private callHost(): CallHost {
    const server = this;
    return {
      broadcast: (event: FakeMessage) => server.emitEvent(event),
      later: (ms: number, run: () => void) => server.later(ms, run),
      get callDuration() {
        return server.current.callDuration;
      },
    };
  }

  private accept(socket: Socket): void {
    if (this.closing !== null) {
      socket.destroy();
      return;
    }
    const connection = new FakeAmiConnection(this.accepted.length + 1, socket, this.host);
    this.accepted.push(connection);
    this.open.add(connection);
    if (this.current.closeOnAccept) connection.destroy();
    else if (this.current.banner !== null) connection.sendRaw(this.current.banner);
    this.emit('connection', connection);
    this.notify();
  }

  private receive(action: FakeAmiAction, connection: FakeAmiConnection): void {
    this.actions.push(action);
    this.emit('action', action, connection);
    this.notify();
    if (this.answering) this.dispatch(action, connection);
  }

  private dispatch(action: FakeAmiAction, connection: FakeAmiConnection): void {
    if (action.problem !== undefined) {
      return connection.reply(action, { Response: 'Error', Message: action.problem });
    }
    const name = action.name.toLowerCase();
    if (name === '')
      return connection.reply(action, { Response: 'Error', Message: 'Missing action in request' });
    if (this.current.requireLogin && !connection.loggedIn && !PUBLIC_ACTIONS.has(name)) {
      return connection.reply(action, { Response: 'Error', Message: 'Permission denied' });
    }
    const custom = this.handlers.get(name);
    if (custom !== undefined) return this.runCustom(custom, action, connection);
    const builtIn = BUILT_IN_ACTIONS.get(name);
    if (builtIn === undefined) {
      return connection.reply(action, { Response: 'Error', Message: 'Invalid/unknown command' });
    }
    this.answer(action, connection, builtIn(action, connection, this));
  }

  private runCustom(handler: FakeActionHandler, action: FakeAmiAction, connection: FakeAmiConnection): void {
    let result: FakeReply | Promise<FakeReply>;
    try {
      result = handler(action, connection, this);
    } catch (error) {
      return this.answer(action, connection, errorReply(error));
    }
    if (!(result instanceof Promise)) return this.answer(action, connection, result);
    result.then(
      (reply) => this.answer(action, connection, reply),
      (error: unknown) => this.answer(action, connection, errorReply(error)),
    );
  }

  private answer(action: FakeAmiAction, connection: FakeAmiConnection, reply: FakeReply): void {
    if (reply !== undefined && !connection.closed) connection.reply(action, reply);
  }

  private output(connection: FakeAmiConnection, frame: string): void {
    if (!this.answering) return;
    if (this.held !== null) this.held.push({ connection, frame });
    else connection.sendRaw(frame);
  }

  private notify(): void {
    this.waits.notify();
  }
}

function errorReply(error: unknown): FakeMessage {
  return { Response: 'Error', Message: error instanceof Error ? error.message : String(error) };
}

function withoutUndefined<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function shuffle<T>(items: T[]): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other], items[index]];
  }
}
