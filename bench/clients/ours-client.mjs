// The client under test, AmiClient from the built package, through its public API only.
import { pathToFileURL } from 'node:url';
import {
  assert,
  heapUsedAfterGc,
  roundTripFigures,
  runChild,
  watchGarbageCollection,
} from '../support/child.mjs';
import { clientEntry } from '../support/client-entry.mjs';
import { countingListeners, measureStorm } from '../support/storm-listeners.mjs';
import { watchThreads } from '../support/threads.mjs';

async function createClient({ dist, port }, username) {
  const { AmiClient } = await import(pathToFileURL(clientEntry(dist)).href);
  return new AmiClient({
    host: '127.0.0.1',
    port,
    username,
    secret: 'bench',
    keepAlive: false,
    reconnect: false,
  });
}

async function eventStorm(params) {
  const client = await createClient(params, 'storm');
  const listeners = countingListeners();
  client.onEvent('*', listeners.onAny);
  client.onEvent('Hangup', listeners.onHangup);
  await client.connect();
  // The server starts the storm when it answers this Ping.
  const result = await measureStorm(listeners, () => client.send({ Action: 'Ping' }), params);
  await client.disconnect();
  return result;
}

async function pingRoundTrips(params) {
  const { pings, window } = params;
  const client = await createClient(params, 'ping');
  await client.connect();
  const heapBefore = heapUsedAfterGc();
  const latencies = new Float64Array(pings);
  let sent = 0;
  let answered = 0;
  const threads = watchThreads();
  const started = performance.now();
  const elapsedMs = await new Promise((resolve, reject) => {
    const ping = () => {
      const index = sent++;
      const sentAt = performance.now();
      client.send({ Action: 'Ping' }).then((response) => {
        latencies[index] = performance.now() - sentAt;
        if (response.Ping !== 'Pong')
          return reject(new Error(`Ping ${index} answered ${JSON.stringify(response)}`));
        answered += 1;
        if (sent < pings) ping();
        else if (answered === pings) resolve(performance.now() - started);
      }, reject);
    };
    while (sent < Math.min(window, pings)) ping();
  });
  const threadTimes = threads.stop();
  assert(client.pendingActionCount === 0, `${client.pendingActionCount} actions still pending`);
  const heapAfter = heapUsedAfterGc();
  await client.disconnect();
  return {
    ...roundTripFigures(latencies, elapsedMs),
    answered,
    threads: threadTimes,
    heapBefore,
    heapAfter,
  };
}

async function eventList(params) {
  const { listItems, firstChannel, lastChannel } = params;
  const client = await createClient(params, 'list');
  await client.connect();
  const gc = watchGarbageCollection();
  const started = performance.now();
  const list = await client.sendList({ Action: 'CoreShowChannels' });
  const resolvedAt = performance.now();
  const elapsedMs = resolvedAt - started;
  const gcMs = await gc.stop(resolvedAt);
  assert(list.events.length === listItems, `${list.events.length} items, expected ${listItems}`);
  assert(
    list.complete?.ListItems === String(listItems),
    `Complete says ListItems ${list.complete?.ListItems}`,
  );
  assert(list.events[0].Channel === firstChannel, `first item is ${list.events[0].Channel}`);
  assert(
    list.events[listItems - 1].Channel === lastChannel,
    `last item is ${list.events[listItems - 1].Channel}`,
  );
  assert(
    list.events.every((item) => item.Event === 'CoreShowChannel'),
    'an item is not a CoreShowChannel event',
  );
  await client.disconnect();
  return { elapsedMs, gcMs, items: list.events.length };
}

runChild({ w1: eventStorm, w2: pingRoundTrips, w3: eventList });
