import type { CliFlags } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { connectionFromFlags } from '../connection-options.js';
import { ExitCode } from '../exit-codes.js';
import { escapeUnprintable } from '../printable.js';
import { withSession } from '../session.js';
import { CliUsageError } from '../usage-error.js';

/** `command`: an Asterisk CLI command; prints its output lines. */
export async function cliCommand(flags: CliFlags, positionals: string[], io: CliIo): Promise<ExitCode> {
  const command = positionals.join(' ').trim();
  if (command === '') {
    throw new CliUsageError('no CLI command: e.g. command "core show channels"', 'nestjs-ami command --help');
  }
  const connection = connectionFromFlags(flags, io.env, io.readFile);
  for (const warning of connection.warnings) io.err(`nestjs-ami: ${warning}`);
  const lines = await withSession(connection, (client) => client.command(command));
  if (lines.length > 0) io.out(lines.map((line) => escapeUnprintable(line, true)).join('\n'));
  return ExitCode.ok;
}
