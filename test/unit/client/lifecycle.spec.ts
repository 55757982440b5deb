import type { AmiClient } from '../../../lib/client.js';
import { Harness, nextEvent, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

/** Every lifecycle event of `client`, as short strings in order. */
function recordLifecycle(client: AmiClient): string[] {
  const seen: string[] = [];
  client.on('stateChange', (state) => seen.push(`state:${state}`));
  client.on('connect', ({ amiVersion }) => seen.push(`connect:${amiVersion}`));
  client.on('login', () => seen.push('login'));
  client.on('disconnect', ({ reason, willReconnect }) => seen.push(`disconnect:${reason}:${willReconnect}`));
  client.on('reconnecting', ({ attempt, delay }) => seen.push(`reconnecting:${attempt}:${delay}`));
  return seen;
}

describe('AmiClient lifecycle events', () => {
  it('are emitted exactly once per transition through connect, loss, failed attempts, reconnect and disconnect', async () => {
    const server = await harness.server();
    const client = harness.client(server, {
      reconnect: { initialDelay: 10, factor: 2, maxDelay: 1_000, jitter: 0 },
    });
    const seen = recordLifecycle(client);

    await client.connect();
    expect(seen).toEqual(['state:connecting', 'connect:11.0.0', 'state:connected', 'login']);
    seen.length = 0;

    // The server goes down: two attempts fail (accepted then closed), the third logs in.
    server.update({ closeOnAccept: true });
    server.dropConnections();
    await server.waitForConnections(3);
    server.update({ closeOnAccept: false });
    await nextEvent(client, 'login');
    expect(seen).toEqual([
      'disconnect:closed:true',
      'state:reconnecting',
      'reconnecting:1:10',
      'reconnecting:2:20',
      'reconnecting:3:40',
      'connect:11.0.0',
      'state:connected',
      'login',
    ]);
    seen.length = 0;

    await client.disconnect();
    expect(seen).toEqual(['state:disconnecting', 'disconnect:logoff:false', 'state:disconnected']);
  });

  it('emit nothing twice when disconnect() is called twice, or destroy() after it', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const seen = recordLifecycle(client);
    await Promise.all([client.disconnect(), client.disconnect()]);
    client.destroy();
    await server.waitForNoConnections();
    await waitUntil(() => seen.includes('state:disconnected'));
    expect(seen.filter((entry) => entry.startsWith('disconnect:'))).toHaveLength(1);
    expect(seen.filter((entry) => entry === 'state:disconnected')).toHaveLength(1);
    expect(server.actions.filter((action) => action.name === 'Logoff')).toHaveLength(1);
  });

  it('a failed first connect emits no disconnect (nothing was announced)', async () => {
    const server = await harness.server({ closeOnAccept: true });
    const client = harness.client(server);
    const seen = recordLifecycle(client);
    await expect(client.connect()).rejects.toThrow();
    expect(seen).toEqual(['state:connecting', 'state:disconnected']);
  });

  it('refused credentials: connect and disconnect are paired, no login, no reconnecting', async () => {
    const server = await harness.server({ users: { admin: 'other' } });
    const client = harness.client(server, { reconnect: { initialDelay: 10, jitter: 0 } });
    const seen = recordLifecycle(client);
    await expect(client.connect({ retry: true })).rejects.toThrow();
    await server.waitForNoConnections();
    await waitUntil(() => seen.some((entry) => entry.startsWith('disconnect:')));
    expect(seen.filter((entry) => entry.startsWith('connect:'))).toHaveLength(1);
    expect(seen.filter((entry) => entry.startsWith('disconnect:'))).toHaveLength(1);
    expect(seen).not.toContain('login');
    expect(seen.some((entry) => entry.startsWith('reconnecting'))).toBe(false);
    expect(seen.at(-1)).not.toBe('state:connected');
  });
});

describe('AmiClient connect() while disconnect() is closing', () => {
  it('waits for the close, then connects: the client ends connected, and says so', async () => {
    const server = await harness.server();
    const client = harness.client(server);
    await client.connect();
    const seen = recordLifecycle(client);

    const closing = client.disconnect();
    const reconnecting = client.connect();
    await Promise.all([closing, reconnecting]);

    expect(client.state).toBe('connected');
    await expect(client.send({ Action: 'Ping' })).resolves.toMatchObject({ Response: 'Success' });
    expect(seen).toEqual([
      'state:disconnecting',
      'disconnect:logoff:false',
      'state:disconnected',
      'state:connecting',
      'connect:11.0.0',
      'state:connected',
      'login',
    ]);
  });
});
