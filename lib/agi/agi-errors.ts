import { AmiError } from '../errors/ami-errors.js';

/** Base of every AGI failure: a command Asterisk refused (510/520, result=-1) or a broken session. */
export class AmiAgiError extends AmiError {
  override name = 'AmiAgiError';
  constructor(
    message: string,
    /** The command that failed, as written (undefined for session-level failures). */
    readonly command?: string,
    /** Asterisk's status code (200, 510, 511, 520...) when it answered. */
    readonly code?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The channel hung up (or the session ended): the command cannot run. Every later command gets it too. */
export class AmiAgiHangupError extends AmiAgiError {
  override name = 'AmiAgiHangupError';
}

/** No answer to a command within its timeout. The session is closed: later answers could not be matched. */
export class AmiAgiTimeoutError extends AmiAgiError {
  override name = 'AmiAgiTimeoutError';
  constructor(
    message: string,
    command: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(message, command, undefined, options);
  }
}

/** A command refused before anything was written: CR, LF or NUL in a name or an argument. */
export class AmiAgiInvalidCommandError extends AmiAgiError {
  override name = 'AmiAgiInvalidCommandError';
}

/** The FastAGI peer broke the protocol: garbage, an oversized environment or line, or it stalled. */
export class AmiAgiProtocolError extends AmiAgiError {
  override name = 'AmiAgiProtocolError';
}
