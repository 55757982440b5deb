import type { AmiClient } from '../../client/ami-client.js';
import type { AmiLiveSource } from '../../live/live-source.js';
import type { AmiDispatcher } from '../dispatch/ami-dispatcher.js';

/**
 * A connection's live source. Events are what the dispatcher's observers get (AmiService.events$): the
 * client's events, or in cluster mode what this replica's `every` reader delivers. Lists go through the
 * connection's client; a resync follows each of its logins and, in cluster mode, each eventGap (events
 * the stream could not deliver).
 */
export function nestLiveSource(client: AmiClient, dispatcher: AmiDispatcher): AmiLiveSource {
  return {
    events: { onEvent: (name, listener) => dispatcher.observe(name, listener) },
    actions: client,
    onResync(listener) {
      const onLogin = (): void => listener();
      client.on('login', onLogin);
      let listening = true;
      if (dispatcher.clustered) {
        // Lifecycle handlers are not removable one by one: this one goes quiet instead.
        dispatcher.addLifecycleHandler({
          className: 'AmiLiveState',
          methodName: 'resync',
          kinds: ['eventGap'],
          options: {},
          invoke: () => {
            if (listening) listener();
          },
        });
      }
      return () => {
        listening = false;
        client.off('login', onLogin);
      };
    },
  };
}
