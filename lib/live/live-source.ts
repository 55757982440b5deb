import type { AmiClient } from '../client/ami-client.js';
import type { AmiEvent } from '../protocol/ami-message.js';

/** Where live state (and call tracking) reads events from. */
export interface AmiLiveEventSource {
  /** Same contract as AmiClient.onEvent: name is an AMI event name (case-insensitive) or '*'. Returns unsubscribe. */
  onEvent(name: string, listener: (event: AmiEvent) => void): () => void;
}

/** Events in, list actions out, and when to resync. */
export interface AmiLiveSource {
  events: AmiLiveEventSource;
  /** Sends list actions (CoreShowChannels, BridgeList, BridgeInfo, QueueStatus) and Originate: an AmiClient. */
  actions: AmiClient;
  /** Calls back after each login of the action client (and, in cluster mode, after an eventGap): resync then. */
  onResync(listener: () => void): () => void;
}

/** The plain case: one AmiClient is both (its onEvent, its 'login' lifecycle event). */
export function liveSourceOf(client: AmiClient): AmiLiveSource {
  return {
    events: { onEvent: (name, listener) => client.onEvent(name, listener) },
    actions: client,
    onResync(listener) {
      const onLogin = (): void => listener();
      client.on('login', onLogin);
      return () => {
        client.off('login', onLogin);
      };
    },
  };
}
