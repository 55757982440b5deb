// W1 with live state on: AmiClient from the built package plus AmiLiveState following the storm, the same
// counting listeners as `ours`. The resync at start is answered by a stub (the fake server has no
// BridgeList or QueueStatus): what this side measures is live state's cost per event.
import { pathToFileURL } from 'node:url';
import { runChild } from '../support/child.mjs';
import { clientEntry } from '../support/client-entry.mjs';
import { countingListeners, measureStorm } from '../support/storm-listeners.mjs';

const emptyLists = {
  isConnected: true,
  sendList: async () => ({ response: { Response: 'Success' }, events: [] }),
};

async function eventStormWithLiveState(params) {
  const { AmiClient, AmiLiveState } = await import(pathToFileURL(clientEntry(params.dist)).href);
  const client = new AmiClient({
    host: '127.0.0.1',
    port: params.port,
    username: 'storm',
    secret: 'bench',
    keepAlive: false,
    reconnect: false,
  });
  const live = new AmiLiveState({ events: client, actions: emptyLists, onResync: () => () => {} });
  await live.start();
  const listeners = countingListeners();
  client.onEvent('*', listeners.onAny);
  client.onEvent('Hangup', listeners.onHangup);
  await client.connect();
  const result = await measureStorm(listeners, () => client.send({ Action: 'Ping' }), params);
  const sizes = live.sizes();
  live.stop();
  await client.disconnect();
  return { ...result, liveSizes: sizes };
}

runChild({ w1: eventStormWithLiveState });
