import { createHash, randomInt } from 'node:crypto';
import type { FakeAmiAction } from './fake-ami-action.js';
import type { FakeAmiConnection } from './fake-ami-connection.js';
import { type CallRequest, type CallSimulator, type SimulatedChannel, snapshot } from './simulated-calls.js';
import type { FakeMessage } from './wire-format.js';

/** What a handler returns: the answer's messages (each gets the action's ActionID), or nothing. */
export type FakeReply = FakeMessage | readonly FakeMessage[] | undefined;

/** What the built-in actions read from their server. */
export interface SimulatorContext {
  readonly settings: {
    readonly users: Readonly<Record<string, string>>;
    readonly authFailureDelay: number;
    readonly commandStyle: 'output' | 'follows';
  };
  readonly calls: CallSimulator;
  /** Seconds since the server started. */
  readonly uptime: number;
  /** The output lines of a CLI command, or undefined when the simulator does not know it. */
  commandOutput(command: string): readonly string[] | undefined;
  emitEvent(event: FakeMessage): number;
  later(ms: number, run: () => void): void;
}

type BuiltInAction = (
  action: FakeAmiAction,
  connection: FakeAmiConnection,
  sim: SimulatorContext,
) => FakeReply;

/** The actions the simulator answers by itself, by lower-cased name. */
export const BUILT_IN_ACTIONS: ReadonlyMap<string, BuiltInAction> = new Map<string, BuiltInAction>([
  ['login', login],
  ['logoff', logoff],
  ['challenge', challenge],
  ['ping', ping],
  ['command', command],
  ['coreshowchannels', coreShowChannels],
  ['bridgelist', emptyList('Bridge listing will follow', 'BridgeListComplete')],
  ['queuestatus', emptyList('Queue status will follow', 'QueueStatusComplete')],
  ['originate', originate],
  ['events', events],
]);

function login(action: FakeAmiAction, connection: FakeAmiConnection, sim: SimulatorContext): FakeReply {
  const username = action.get('Username') ?? '';
  const users = sim.settings.users;
  const secret = Object.hasOwn(users, username) ? users[username] : undefined;
  if (secret === undefined || !credentialsMatch(action, connection, secret)) {
    // Asterisk answers a failed login late, then hangs up.
    sim.later(sim.settings.authFailureDelay, () => {
      connection.reply(action, { Response: 'Error', Message: 'Authentication failed' });
      connection.end();
    });
    return;
  }
  connection.logIn(username, action.get('Events'));
  connection.reply(action, { Response: 'Success', Message: 'Authentication accepted' });
  const booted = {
    Event: 'FullyBooted',
    Privilege: 'system,all',
    Uptime: sim.uptime,
    LastReload: sim.uptime,
    Status: 'Fully Booted',
  };
  if (connection.wantsEvent(booted)) connection.send(booted);
}

function credentialsMatch(action: FakeAmiAction, connection: FakeAmiConnection, secret: string): boolean {
  if (action.get('AuthType')?.toLowerCase() !== 'md5') return action.get('Secret') === secret;
  if (connection.challenge === null) return false;
  const expected = createHash('md5')
    .update(connection.challenge + secret)
    .digest('hex');
  return action.get('Key') === expected;
}

function logoff(action: FakeAmiAction, connection: FakeAmiConnection): undefined {
  connection.reply(action, { Response: 'Goodbye', Message: 'Thanks for all the fish.' });
  connection.end();
}

function challenge(action: FakeAmiAction, connection: FakeAmiConnection): FakeReply {
  if (action.get('AuthType')?.toLowerCase() !== 'md5') {
    return { Response: 'Error', Message: 'Must specify AuthType' };
  }
  connection.challenge = String(randomInt(100_000_000, 1_000_000_000));
  return { Response: 'Success', Challenge: connection.challenge };
}

function events(action: FakeAmiAction, connection: FakeAmiConnection): FakeReply {
  const mask = action.get('EventMask');
  connection.setEventMask(mask);
  return { Response: 'Success', Events: /^\s*(off|no|false|0)\s*$/i.test(mask ?? '') ? 'Off' : 'On' };
}

function ping(): FakeReply {
  return { Response: 'Success', Ping: 'Pong', Timestamp: (Date.now() / 1000).toFixed(6) };
}

function command(action: FakeAmiAction, connection: FakeAmiConnection, sim: SimulatorContext): FakeReply {
  const text = action.get('Command');
  if (text === undefined || text.trim() === '') return { Response: 'Error', Message: 'No command provided' };
  const output = sim.commandOutput(text);
  const lines = output ?? [
    `No such command '${text.trim()}' (type 'core show help ${text.trim()}' for other possible commands)`,
  ];
  if (sim.settings.commandStyle === 'follows') {
    connection.sendFrame(followsFrame(action.actionId, lines));
    return;
  }
  return {
    Response: output === undefined ? 'Error' : 'Success',
    Message: 'Command output follows',
    Output: lines,
  };
}

/** The answer of Asterisk 13 and older: raw output lines, then `--END COMMAND--`. */
function followsFrame(actionId: string | undefined, lines: readonly string[]): string {
  let frame = 'Response: Follows\r\nPrivilege: Command\r\n';
  if (actionId !== undefined) frame += `ActionID: ${actionId}\r\n`;
  if (lines.length > 0) frame += `${lines.join('\n')}\n`;
  return `${frame}--END COMMAND--\r\n\r\n`;
}

function coreShowChannels(
  _action: FakeAmiAction,
  _connection: FakeAmiConnection,
  sim: SimulatorContext,
): FakeReply {
  const channels = sim.calls.channels;
  return [
    { Response: 'Success', EventList: 'start', Message: 'Channels will follow' },
    ...channels.map((channel) => ({
      Event: 'CoreShowChannel',
      ...snapshot(channel),
      Application: '',
      ApplicationData: '',
      Duration: formatDuration(Date.now() - channel.createdAt),
      BridgeId: '',
    })),
    { Event: 'CoreShowChannelsComplete', EventList: 'Complete', ListItems: channels.length },
  ];
}

/**
 * The simulated PBX has no bridges and no queues: BridgeList and QueueStatus answer as Asterisk 22 does
 * with nothing to list, so a live state syncs against the simulator (the sample's wallboard).
 */
function emptyList(message: string, completeEvent: string): BuiltInAction {
  return () => [
    { Response: 'Success', EventList: 'start', Message: message },
    { Event: completeEvent, EventList: 'Complete', ListItems: 0 },
  ];
}

function originate(action: FakeAmiAction, _connection: FakeAmiConnection, sim: SimulatorContext): FakeReply {
  const channel = action.get('Channel');
  if (channel === undefined || channel === '') return { Response: 'Error', Message: 'Channel not specified' };
  if (!/^[^/]+\/./.test(channel)) return { Response: 'Error', Message: 'Invalid channel' };
  const request: CallRequest = {
    channel,
    context: action.get('Context'),
    exten: action.get('Exten'),
    priority: action.get('Priority'),
    callerId: action.get('CallerID'),
  };
  if (!isTrue(action.get('Async'))) {
    const outcome = sim.calls.place(request);
    return outcome.answered
      ? { Response: 'Success', Message: 'Originate successfully queued' }
      : { Response: 'Error', Message: 'Originate failed' };
  }
  // The call starts after the answer has gone out, as with Asterisk's originate thread.
  sim.later(0, () => {
    const outcome = sim.calls.place(request);
    const caller = sim.calls.channels.find((live) => live.Uniqueid === outcome.uniqueid);
    const application = action.get('Application');
    sim.emitEvent({
      Event: 'OriginateResponse',
      Privilege: 'call,all',
      ActionID: action.actionId,
      Response: outcome.answered ? 'Success' : 'Failure',
      Channel: outcome.channel,
      Context: application === undefined ? (request.context ?? '') : undefined,
      Exten: application === undefined ? (request.exten ?? '') : undefined,
      Application: application,
      Data: application === undefined ? undefined : (action.get('Data') ?? ''),
      Reason: outcome.reason,
      Uniqueid: outcome.uniqueid,
      CallerIDNum: caller?.CallerIDNum ?? '<unknown>',
      CallerIDName: caller?.CallerIDName ?? '<unknown>',
    });
  });
  return { Response: 'Success', Message: 'Originate successfully queued' };
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|yes|on|1|y|t)$/i.test(value.trim());
}

function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/** A CLI command as the simulator looks it up: trimmed, runs of spaces made one. */
export function normalizeCommand(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

/** The CLI commands the simulator knows by itself. */
export function builtInCommandOutput(
  command: string,
  channels: readonly SimulatedChannel[],
): string[] | undefined {
  switch (normalizeCommand(command)) {
    case 'core show version':
      return ['Asterisk 22.0.0 (nestjs-ami simulator)'];
    case 'core show channels': {
      const calls = new Set(channels.map((channel) => channel.Linkedid)).size;
      return [
        `${'Channel'.padEnd(32)} ${'Location'.padEnd(24)} ${'State'.padEnd(7)} Application(Data)`,
        ...channels.map(
          (channel) =>
            `${channel.Channel.padEnd(32)} ${`${channel.Exten}@${channel.Context}:${channel.Priority}`.padEnd(24)} ${channel.ChannelStateDesc.padEnd(7)} (None)`,
        ),
        `${channels.length} active channel${channels.length === 1 ? '' : 's'}`,
        `${calls} active call${calls === 1 ? '' : 's'}`,
      ];
    }
    default:
      return undefined;
  }
}
