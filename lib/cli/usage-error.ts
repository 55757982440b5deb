/** A mistake on the command line: exit code 2, one line, and where to read the usage. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
  constructor(
    message: string,
    /** Command whose help explains the fix, e.g. `nestjs-ami watch --help`. */
    readonly helpTopic?: string,
  ) {
    super(message);
  }
}
