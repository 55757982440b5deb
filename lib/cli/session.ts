import { AmiClient } from '../client/ami-client.js';
import type { CliConnection } from './connection-options.js';

/**
 * Connects once (no retry: a refused login is never repeated), runs `work`, and logs off whatever
 * happened. For the one-shot commands: no events, no reconnection, no keepalive.
 */
export async function withSession<T>(
  connection: CliConnection,
  work: (client: AmiClient) => Promise<T>,
): Promise<T> {
  const client = new AmiClient({ ...connection.options, events: false, reconnect: false, keepAlive: false });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.disconnect();
  }
}
