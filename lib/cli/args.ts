import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliUsageError } from './usage-error.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export const COMMANDS = ['watch', 'send', 'command'] as const;
export type CommandName = (typeof COMMANDS)[number];

const connectionFlags = {
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  username: { type: 'string', short: 'u' },
  secret: { type: 'string' },
  tls: { type: 'boolean' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  md5: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

const flagsByCommand = {
  watch: {
    ...connectionFlags,
    json: { type: 'boolean' },
    events: { type: 'string' },
    exclude: { type: 'string', multiple: true },
    count: { type: 'string', short: 'n' },
    out: { type: 'string', short: 'o' },
  },
  send: { ...connectionFlags, json: { type: 'boolean' } },
  command: { ...connectionFlags },
} as const satisfies Record<CommandName, ParseArgsOptionsConfig>;

const topLevelFlags = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsOptionsConfig;

/** Every flag value a command may receive, as parseArgs gives them. */
export interface CliFlags {
  host?: string;
  port?: string;
  username?: string;
  secret?: string;
  tls?: boolean;
  ca?: string;
  insecure?: boolean;
  md5?: boolean;
  timeout?: string;
  help?: boolean;
  json?: boolean;
  events?: string;
  exclude?: string[];
  count?: string;
  out?: string;
}

export type CliInvocation =
  | { kind: 'help'; command?: CommandName }
  | { kind: 'version' }
  | { kind: 'run'; command: CommandName; flags: CliFlags; positionals: string[] };

export function isCommandName(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

/**
 * Reads the command line: `[flags] <command> [flags] [arguments]`. Flags may come before or after
 * the command name; `--` ends the flags.
 */
export function parseCommandLine(argv: readonly string[]): CliInvocation {
  const commandAt = findCommandIndex(argv);
  if (commandAt === -1) return parseWithoutCommand(argv);
  const name = argv[commandAt] as string;
  if (name === 'help') return helpFor(argv.slice(commandAt + 1));
  if (!isCommandName(name)) {
    throw new CliUsageError(
      `unknown command "${name}"; commands: ${COMMANDS.join(', ')}`,
      'nestjs-ami --help',
    );
  }
  const rest = [...argv.slice(0, commandAt), ...argv.slice(commandAt + 1)];
  const { values, positionals } = strictParse(rest, flagsByCommand[name], `nestjs-ami ${name} --help`);
  const flags = values as CliFlags;
  if (flags.help) return { kind: 'help', command: name };
  return { kind: 'run', command: name, flags, positionals };
}

// Where the command name is: the first argument that is neither a flag nor a flag's value.
function findCommandIndex(argv: readonly string[]): number {
  const allFlags = { ...flagsByCommand.watch, ...flagsByCommand.send, ...topLevelFlags };
  const { tokens } = parseArgs({
    args: [...argv],
    options: allFlags,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const first = tokens.find((token) => token.kind === 'positional');
  return first === undefined ? -1 : first.index;
}

function parseWithoutCommand(argv: readonly string[]): CliInvocation {
  const { values } = strictParse(argv, topLevelFlags, 'nestjs-ami --help');
  if (values.version) return { kind: 'version' };
  if (values.help) return { kind: 'help' };
  throw new CliUsageError(`a command is needed: ${COMMANDS.join(', ')}`, 'nestjs-ami --help');
}

function helpFor(args: readonly string[]): CliInvocation {
  const topic = args.find((arg) => !arg.startsWith('-'));
  if (topic === undefined) return { kind: 'help' };
  if (!isCommandName(topic)) {
    throw new CliUsageError(`no help for "${topic}"; commands: ${COMMANDS.join(', ')}`, 'nestjs-ami --help');
  }
  return { kind: 'help', command: topic };
}

function strictParse<T extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: T,
  helpTopic: string,
) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs names the flag, never its value; its hint about '--' is noise here.
    const message = (error as Error).message
      .split(/\. To specify a positional/)[0]
      ?.replace(/\s*\n\s*/g, ' ');
    throw new CliUsageError(message || 'bad arguments', helpTopic);
  }
}

/** A whole number from `min` up, from a flag or variable named `what`. */
export function parseInteger(text: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text.trim())) throw new CliUsageError(`${what} must be a whole number, got "${text}"`);
  const value = Number(text.trim());
  if (value < min || value > max) throw new CliUsageError(`${what} must be between ${min} and ${max}`);
  return value;
}

/** A duration given in seconds (decimals allowed), returned in milliseconds. */
export function parseSeconds(text: string, what: string): number {
  const seconds = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new CliUsageError(`${what} must be a number of seconds above 0, got "${text}"`);
  }
  return Math.max(1, Math.round(seconds * 1000));
}
