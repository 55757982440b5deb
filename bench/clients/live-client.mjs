// W1 with live state on (`live: true`) or off: AmiClient from the built package, the same counting listeners
// as `ours`, plus AmiLiveState following the storm when on. The resync at start is answered by a stub (the
// fake server has no BridgeList or QueueStatus): what the pair measures is live state's cost per event.
// Both sides also report the process's CPU time for the storm, a figure other loads on the machine
// disturb less than the wall clock.
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
  const live = params.live
    ? new AmiLiveState({ events: client, actions: emptyLists, onResync: () => () => {} })
    : null;
  await live?.start();
  const listeners = countingListeners();
  client.onEvent('*', listeners.onAny);
  client.onEvent('Hangup', listeners.onHangup);
  await client.connect();
  const cpuBefore = process.cpuUsage();
  const result = await measureStorm(listeners, () => client.send({ Action: 'Ping' }), params);
  const cpu = process.cpuUsage(cpuBefore);
  const sizes = live?.sizes() ?? null;
  live?.stop();
  await client.disconnect();
  return { ...result, cpuMicrosPerEvent: (cpu.user + cpu.system) / params.events, liveSizes: sizes };
}

runChild({ w1: eventStormWithLiveState });
