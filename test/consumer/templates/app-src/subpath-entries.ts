import { AmiClient } from 'nestjs-ami/client';
import { FakeAmiServer } from 'nestjs-ami/testing';

/**
 * The package's other entry points: tsc must find their types with the app's own settings (a CommonJS
 * app's `"module": "commonjs"` resolves without reading `exports`), and Node must load them.
 */
export async function checkSubpathEntries(log: (line: string) => void): Promise<void> {
  const server = await FakeAmiServer.start({ port: 0, users: { consumer: 'secret' } });
  const client = new AmiClient({
    port: server.port,
    username: 'consumer',
    secret: 'secret',
    reconnect: false,
  });
  try {
    await client.connect();
    const pong = await client.send({ Action: 'Ping' });
    log(`entries: nestjs-ami/client Ping ${pong.Response} from nestjs-ami/testing`);
  } finally {
    await client.disconnect();
    await server.close();
  }
}
