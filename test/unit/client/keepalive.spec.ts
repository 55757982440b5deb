import type { AmiDisconnectInfo } from '../../../lib/client.js';
import { Harness, waitUntil } from './support.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

describe('AmiClient: keepalive', () => {
  it('a Pong resets the missed count: pings missed now and then, never twice in a row, keep the session', async () => {
    const server = await harness.server();
    // Pings 1 and 5 go unanswered, the others are answered at once. Without the reset, the second miss
    // makes two and the peer is declared dead; with it, the count never passes one. Three answered
    // pings between the misses: one stalled past its timeout still leaves the misses apart.
    const unanswered = new Set([1, 5]);
    let pings = 0;
    server.onAction('Ping', () => {
      pings += 1;
      return unanswered.has(pings) ? undefined : { Response: 'Success', Ping: 'Pong' };
    });
    const client = harness.client(server, { keepAlive: { interval: 150, maxMissed: 2 } });
    const disconnects: AmiDisconnectInfo[] = [];
    client.on('disconnect', (info) => disconnects.push(info));
    await client.connect();
    // Ping 7 is sent one interval after ping 6, by when ping 5's timeout (one interval) has been judged.
    await waitUntil(() => pings >= 7 || disconnects.length > 0, 10_000, 'seven keepalive pings');
    expect(disconnects).toEqual([]);
    expect(client.state).toBe('connected');
  });

  it('the same misses in a row are detected: the session is closed as dead', async () => {
    const server = await harness.server();
    let pings = 0;
    server.onAction('Ping', () => {
      pings += 1;
      return pings <= 1 ? { Response: 'Success', Ping: 'Pong' } : undefined;
    });
    const client = harness.client(server, { keepAlive: { interval: 150, maxMissed: 2 } });
    client.on('error', () => undefined);
    const disconnects: AmiDisconnectInfo[] = [];
    client.on('disconnect', (info) => disconnects.push(info));
    await client.connect();
    await waitUntil(() => disconnects.length > 0, 10_000, 'the keepalive to give up');
    expect(disconnects[0]).toMatchObject({ reason: 'keepalive' });
  });
});
