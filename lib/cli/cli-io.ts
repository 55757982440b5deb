/** What a command may touch of the outside world: the CLI's entry wires it to the process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes one line (or several joined by `\n`) to stdout; the final newline is added. */
  out(text: string): void;
  /** Writes one line to stderr; the final newline is added. */
  err(text: string): void;
  /** Calls `handler` on Ctrl-C, SIGTERM, or stdout closed by its reader; returns the unregistration. */
  onStop(handler: () => void): () => void;
  readFile(path: string): Buffer;
}
