import type { AmiClient } from '../../client/ami-client.js';
import type { AmiDisconnectInfo, AmiReconnectingInfo } from '../../client/ami-client.types.js';
import { AmiAuthenticationError, type AmiError } from '../../errors/ami-errors.js';
import type { AmiDispatcher } from './ami-dispatcher.js';

/**
 * Feeds a client's events and lifecycle into the dispatcher. Bound when the client is created, before
 * anything can connect it, so no event of the connection is missed. Returns the unbinding function.
 * In cluster mode (`dispatcher.clustered`) only its lifecycle: its events only settle its own actions,
 * and everything handlers see comes from the stream.
 */
export function bindClientToDispatcher(client: AmiClient, dispatcher: AmiDispatcher): () => void {
  const connection = dispatcher.connection;
  let logins = 0;
  const onLogin = () => {
    logins += 1;
    dispatcher.dispatchLifecycle({
      kind: 'connected',
      connection,
      amiVersion: client.amiVersion,
      reconnected: logins > 1,
    });
  };
  const onDisconnect = (info: AmiDisconnectInfo) =>
    dispatcher.dispatchLifecycle({ kind: 'disconnected', connection, ...info });
  const onReconnecting = (info: AmiReconnectingInfo) =>
    dispatcher.dispatchLifecycle({ kind: 'reconnecting', connection, ...info });
  // With a listener the client emits its errors as well as logging them (it only logs without one).
  const onError = (error: AmiError) => {
    if (error instanceof AmiAuthenticationError) {
      dispatcher.dispatchLifecycle({ kind: 'loginFailed', connection, error });
    }
  };
  const unsubscribe = dispatcher.clustered ? () => {} : client.onEvent('*', dispatcher.onClientEvent);
  client.on('login', onLogin);
  client.on('disconnect', onDisconnect);
  client.on('reconnecting', onReconnecting);
  client.on('error', onError);
  return () => {
    unsubscribe();
    client.off('login', onLogin);
    client.off('disconnect', onDisconnect);
    client.off('reconnecting', onReconnecting);
    client.off('error', onError);
  };
}
