import { AmiError } from '../errors/ami-errors.js';

/**
 * Cluster mode could not use Redis: a malformed URL, refused credentials, an unreachable server. Names
 * Redis, not AMI, and never carries a Redis password (the URL is redacted, ioredis' error is not kept
 * as `cause`: its reply errors hold the AUTH command's arguments).
 */
export class AmiRedisError extends AmiError {
  override name = 'AmiRedisError';
  constructor(
    message: string,
    /** The Redis server as given, its password replaced by `<redacted>`. */
    readonly target: string,
    /** The cause's code when there is one (ECONNREFUSED, WRONGPASS, NOAUTH...). */
    readonly code?: string,
    // A cause is taken for the errors of other libraries only: ioredis's reply errors carry AUTH's arguments.
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
