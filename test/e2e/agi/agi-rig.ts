import { type AgiCall, AmiAsyncAgi, AmiFastAgiServer } from '../../../lib/agi/index.js';
import { AmiClient } from '../../../lib/client.js';
import { credentials } from '../support/asterisk-target.js';

/** A client, a FastAGI server on a free port and AsyncAGI on the client: both routed by one router. */
export async function agiRig() {
  const client = new AmiClient(credentials());
  await client.connect();
  const fast = new AmiFastAgiServer({ port: 0, logger: credentials().logger });
  const port = await fast.listen();
  const asyncAgi = new AmiAsyncAgi(client, { router: fast.router, logger: credentials().logger });
  return {
    client,
    fast,
    asyncAgi,
    port,
    /** Starts a Local call whose ;2 leg runs AGI in mode `fast` or `async` for `script`. */
    call: (mode: 'fast' | 'async', script: string, argument = '') =>
      client.originate({
        Channel: `Local/${mode}@agi`,
        Application: 'Wait',
        Data: '30',
        Variable: `AGI_PORT=${port},AGI_SCRIPT=${script},AGI_ARG=${argument}`,
      }),
    async close() {
      await asyncAgi.close(1_000);
      await fast.close(1_000);
      await client.disconnect();
    },
  };
}

/** A promise settled from outside, for handlers that report to the test. */
export function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** The ;1 leg of the Local pair whose ;2 leg is the AGI channel: where DTMF for the AGI is played. */
export const otherLeg = (call: AgiCall) => call.channel.replace(/;2$/, ';1');
