/**
 * A received message's headers, as `AmiMessage` in protocol/ has them. Written out here so that errors/,
 * which every layer imports, imports nothing itself.
 */
export interface AmiErrorMessage {
  [header: string]: string | string[] | undefined;
}

/**
 * Base class of every error this package raises, so `instanceof AmiError` catches them all. Every one takes
 * `ErrorOptions` last: an error that wraps another keeps it as its `cause`.
 */
export class AmiError extends Error {
  override name = 'AmiError';
}

/** The TCP or TLS connection could not be made or was lost: refused, unreachable, timed out. */
export class AmiConnectionError extends AmiError {
  override name = 'AmiConnectionError';
  constructor(
    message: string,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Asterisk refused the credentials. Never retried: retry loops get a source banned. */
export class AmiAuthenticationError extends AmiError {
  override name = 'AmiAuthenticationError';
}

/** The peer does not speak AMI (no or wrong banner), or sent a frame past the configured limits. */
export class AmiProtocolError extends AmiError {
  override name = 'AmiProtocolError';
}

/** An action was refused before anything was written: bad header name, CR/LF/NUL in a value... */
export class AmiInvalidActionError extends AmiError {
  override name = 'AmiInvalidActionError';
}

/** Asterisk answered `Response: Error` (or an OriginateResponse with `Response: Failure`). */
export class AmiActionError extends AmiError {
  override name = 'AmiActionError';
  constructor(
    message: string,
    /**
     * The whole message that carried the failure: every header Asterisk sent, except that the client
     * redacts the values of sensitive headers (`Secret`, `Key`, its `sensitiveHeaders`, secret-named
     * variables) to `<redacted>`: an error travels to reporters and logs, and Asterisk can echo a secret.
     */
    readonly response: AmiErrorMessage,
    readonly action: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** No answer within the action's timeout. The action may still have run on the server. */
export class AmiTimeoutError extends AmiError {
  override name = 'AmiTimeoutError';
  constructor(
    message: string,
    readonly action: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The action could not be answered because the connection is down or went down while it was pending. */
export class AmiDisconnectedError extends AmiError {
  override name = 'AmiDisconnectedError';
  constructor(
    message: string,
    readonly action?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Something stopped for good was asked to go on (an AmiClusterNode or AmiLiveState started after stop(), a call
 * tracked by an AmiCallTracker that stopped): create a new one.
 */
export class AmiStoppedError extends AmiError {
  override name = 'AmiStoppedError';
}
