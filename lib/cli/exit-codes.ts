import {
  AmiActionError,
  AmiAuthenticationError,
  AmiConnectionError,
  AmiDisconnectedError,
  AmiInvalidActionError,
  AmiProtocolError,
} from '../errors/ami-errors.js';
import { headerValues } from '../protocol/ami-message.js';
import { CliUsageError } from './usage-error.js';

export const ExitCode = {
  ok: 0,
  /** Asterisk refused or did not answer the action. */
  actionError: 1,
  /** Bad command line: unknown flag, bad value, missing credentials. */
  usage: 2,
  /** Could not connect, lost the connection, or the login was refused. */
  connection: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliUsageError || error instanceof AmiInvalidActionError) return ExitCode.usage;
  if (
    error instanceof AmiConnectionError ||
    error instanceof AmiAuthenticationError ||
    error instanceof AmiProtocolError ||
    error instanceof AmiDisconnectedError
  ) {
    return ExitCode.connection;
  }
  // AmiActionError, AmiTimeoutError, and anything unforeseen: the action did not succeed.
  return ExitCode.actionError;
}

const REDACTED = '<redacted>';

/**
 * The one line printed for a failure: the message only (no stack), on one line, with every known
 * secret replaced even if some layer had let it into the message.
 */
export function errorLine(error: unknown, secrets: readonly string[] = [], helpTopic?: string): string {
  let text = error instanceof Error ? error.message : String(error);
  // A failed Command says "Command output follows"; the reason is in its output.
  if (error instanceof AmiActionError) {
    const output = headerValues(error.response, 'Output').filter((line) => line.trim() !== '');
    if (output.length > 0) text = `${error.action} failed: ${output.join(' ')}`;
  }
  for (const secret of secrets) {
    if (secret.length > 0) text = text.split(secret).join(REDACTED);
  }
  text = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const topic = error instanceof CliUsageError ? (error.helpTopic ?? helpTopic) : undefined;
  const hint = topic ? ` (see: ${topic})` : '';
  return `nestjs-ami: ${text || 'unknown error'}${hint}`;
}
