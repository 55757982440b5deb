import { parseActionArguments } from '../action-arguments.js';
import type { CliFlags } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { connectionFromFlags } from '../connection-options.js';
import { ExitCode } from '../exit-codes.js';
import { formatActionResult, formatActionResultJson } from '../format-response.js';
import { withSession } from '../session.js';

/** `send`: one action; its response, and the items of a list when the response starts one. */
export async function sendCommand(flags: CliFlags, positionals: string[], io: CliIo): Promise<ExitCode> {
  const action = parseActionArguments(positionals);
  const connection = connectionFromFlags(flags, io.env, io.readFile);
  for (const warning of connection.warnings) io.err(`nestjs-ami: ${warning}`);
  // sendList resolves at once with no items when the response does not start a list.
  const result = await withSession(connection, (client) => client.sendList(action));
  io.out(flags.json ? formatActionResultJson(result) : formatActionResult(result));
  return ExitCode.ok;
}
