// One AmiClient of the built package in a process of its own, driven by its parent over IPC: one of
// the two processes of test/e2e/client/two-processes.e2e-spec.ts. Messages in: { round: [params...] }
// places those originates at once, { finish: [callerIdNum...] } waits for those OriginateResponses,
// reports them and logs off. Out: { ready }, { settled: [...] }, { seen: [...] }, { failed: message }.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { AmiClient } from '../../../../dist/client.js';

// Every level and every frame into the e2e log directory, for the secrets audit of global teardown.
const logDirectory = process.env.AMI_E2E_LOG_DIR;
const record =
  (level) =>
  (message, ...rest) => {
    if (logDirectory !== undefined)
      appendFileSync(join(logDirectory, `${process.pid}.log`), `${level} ${format(message, ...rest)}\n`);
  };
const levels = ['log', 'error', 'warn', 'debug', 'verbose'];
const logger = Object.fromEntries(levels.map((level) => [level, record(level)]));

const client = new AmiClient({
  ...JSON.parse(process.env.PARTY_OPTIONS ?? '{}'),
  logger,
  traceFrames: true,
  reconnect: false,
  keepAlive: false,
});
const seen = [];
const seenListeners = new Set();
client.onEvent('OriginateResponse', (event, context) => {
  seen.push({ event, fromAction: context.fromAction });
  for (const listener of seenListeners) listener();
});

const settle = (params) =>
  client.originate(params, { timeout: 20_000 }).then(
    (response) => ({ resolved: true, response }),
    (error) => ({ resolved: false, response: error.response, error: String(error) }),
  );

function seenAll(numbers) {
  const wanted = new Set(numbers);
  const done = () => seen.filter(({ event }) => wanted.has(event.CallerIDNum)).length >= wanted.size;
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      seenListeners.delete(check);
      resolve();
    };
    seenListeners.add(check);
    check();
  });
}

process.on('message', async (message) => {
  try {
    if (message.round !== undefined) {
      process.send({ settled: await Promise.all(message.round.map(settle)) });
    } else if (message.finish !== undefined) {
      await seenAll(message.finish);
      process.send({ seen });
      await client.disconnect();
      process.disconnect();
    }
  } catch (error) {
    process.send({ failed: String(error) });
  }
});

try {
  await client.connect();
  process.send({ ready: true });
} catch (error) {
  process.send({ failed: String(error) });
  process.disconnect();
}
