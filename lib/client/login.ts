import { createHash } from 'node:crypto';
import {
  AmiActionError,
  AmiAuthenticationError,
  AmiConnectionError,
  AmiDisconnectedError,
  AmiTimeoutError,
} from '../errors/ami-errors.js';
import type { AmiAction } from '../protocol/action-serializer.js';
import type { AmiResponse } from '../protocol/ami-message.js';
import type { ResolvedAmiClientOptions } from './ami-client-options.js';

type LoginOptions = Pick<
  ResolvedAmiClientOptions,
  'username' | 'secret' | 'auth' | 'events' | 'loginTimeout'
>;

/**
 * Logs in with the secret (plain) or with its digest over a challenge (MD5: the secret never crosses the
 * wire). Failures become the client's typed errors: refused credentials an AmiAuthenticationError (never
 * retried: a login loop gets the source banned by fail2ban-style setups), silence or a closed socket an
 * AmiConnectionError.
 */
export async function logIn(
  send: (action: AmiAction) => Promise<AmiResponse>,
  options: LoginOptions,
  lossError: () => Error | undefined,
  /** Run once logged in, as part of the login (its failures are the login's): the event filter. */
  afterLogin?: () => Promise<void>,
): Promise<void> {
  const { username, secret, auth, events, loginTimeout } = options;
  try {
    if (auth === 'md5') {
      const challenge = await send({ Action: 'Challenge', AuthType: 'MD5' });
      const key = createHash('md5')
        .update(String(challenge.Challenge) + secret)
        .digest('hex');
      await send({ Action: 'Login', AuthType: 'MD5', Username: username, Key: key, Events: events });
    } else {
      await send({ Action: 'Login', Username: username, Secret: secret, Events: events });
    }
    await afterLogin?.();
  } catch (error) {
    if (error instanceof AmiActionError) {
      throw new AmiAuthenticationError(
        `Asterisk refused the login of "${username}": ${error.response.Message ?? 'no reason given'}`,
        { cause: error },
      );
    }
    if (error instanceof AmiTimeoutError) {
      throw new AmiConnectionError(`no answer to the login within ${loginTimeout} ms`, 'ETIMEDOUT', {
        cause: error,
      });
    }
    if (error instanceof AmiDisconnectedError) {
      throw (
        lossError() ??
        new AmiConnectionError('the connection closed during the login', undefined, { cause: error })
      );
    }
    throw error;
  }
}
