import { type CliInvocation, parseCommandLine } from './args.js';
import type { CliIo } from './cli-io.js';
import { cliCommand } from './commands/command.js';
import { sendCommand } from './commands/send.js';
import { watchCommand } from './commands/watch.js';
import { ExitCode, errorLine, exitCodeFor } from './exit-codes.js';
import { helpText } from './help.js';

/** Runs one invocation of `nestjs-ami`; resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo, version: string): Promise<ExitCode> {
  let helpTopic = 'nestjs-ami --help';
  try {
    const invocation = parseCommandLine(argv);
    if (invocation.kind === 'run') helpTopic = `nestjs-ami ${invocation.command} --help`;
    return await execute(invocation, io, version);
  } catch (error) {
    io.err(errorLine(error, secretsIn(argv, io), helpTopic));
    return exitCodeFor(error);
  }
}

async function execute(invocation: CliInvocation, io: CliIo, version: string): Promise<ExitCode> {
  switch (invocation.kind) {
    case 'help':
      io.out(helpText(invocation.command));
      return ExitCode.ok;
    case 'version':
      io.out(version);
      return ExitCode.ok;
    case 'run': {
      const { command, flags, positionals } = invocation;
      if (command === 'watch') return watchCommand(flags, positionals, io);
      if (command === 'send') return sendCommand(flags, positionals, io);
      return cliCommand(flags, positionals, io);
    }
  }
}

/** Found without the parser, which may be what failed: every value that could be a secret, to mask. */
export function secretsIn(argv: readonly string[], io: Pick<CliIo, 'env'>): string[] {
  const secrets: string[] = [];
  if (io.env.AMI_SECRET) secrets.push(io.env.AMI_SECRET);
  argv.forEach((arg, index) => {
    if (arg === '--secret' && argv[index + 1] !== undefined) secrets.push(argv[index + 1] as string);
    else if (arg.startsWith('--secret=')) secrets.push(arg.slice('--secret='.length));
  });
  return secrets;
}
