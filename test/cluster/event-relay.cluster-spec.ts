import type { Redis } from 'ioredis';
import { AmiClient } from '../../lib/client.js';
import { AmiEventPublisher } from '../../lib/cluster/event-publisher.js';
import { relayEvents } from '../../lib/cluster/event-relay.js';
import { AmiLeadership } from '../../lib/cluster/leadership.js';
import { asterisk } from '../e2e/support/asterisk-target.js';
import { Connections, freshKeys, nextEmission } from './support/cluster-fixture.js';
import { readStream, waitFor } from './support/stream-reader.js';

// The relay on the real Asterisk 22: unsolicited events reach the stream while this replica leads; the
// events that answer its own actions (a list's items) never do; a replica that does not lead relays nothing.
const connections = new Connections();
let redis: Redis;
const clients: AmiClient[] = [];

async function connectedClient(): Promise<AmiClient> {
  const client = new AmiClient({
    host: asterisk.host,
    port: asterisk.port,
    username: asterisk.username,
    secret: asterisk.secret,
  });
  clients.push(client);
  await client.connect();
  return client;
}

beforeAll(async () => {
  redis = await connections.open();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.disconnect()));
  await connections.closeAll();
});

describe('relaying the AMI session to the stream', () => {
  it('the leader relays unsolicited events only; a follower relays nothing', async () => {
    const keys = freshKeys('relay');
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const client = await connectedClient();
        const leadership = new AmiLeadership({ redis, keys, leaseTtl: 30_000, acquireInterval: 30_000 });
        const publisher = new AmiEventPublisher({ redis, keys, leadership });
        relayEvents(client, leadership, publisher);
        return { client, leadership, publisher };
      }),
    );
    const [leader, follower] = replicas;
    leader.leadership.start();
    const epoch = await nextEmission<number>((l) => leader.leadership.on('elected', l));
    follower.leadership.start();
    try {
      // A list action of each replica: its items and its Complete event answer that replica alone.
      await leader.client.sendList({ Action: 'CoreShowChannels' });
      await follower.client.sendList({ Action: 'CoreShowChannels' });
      // UserEvents are broadcast to every session: both replicas receive each one.
      for (let n = 1; n <= 5; n++) {
        await follower.client.send({ Action: 'UserEvent', UserEvent: 'NestjsAmiRelay', Ticket: String(n) });
      }
      const entries = await waitFor('five UserEvents in the stream', async () => {
        const all = await readStream(redis, keys.events);
        return all.filter((entry) => entry.event.UserEvent === 'NestjsAmiRelay').length >= 5
          ? all
          : undefined;
      });
      const relayed = entries.filter((entry) => entry.event.UserEvent === 'NestjsAmiRelay');
      expect(relayed.map((entry) => entry.event.Ticket)).toEqual(['1', '2', '3', '4', '5']);
      expect(relayed.every((entry) => entry.epoch === epoch)).toBe(true);
      expect(entries.some((entry) => String(entry.event.Event).startsWith('CoreShowChannel'))).toBe(false);
      expect(follower.publisher.stats).toMatchObject({ published: 0, buffered: 0 });
      expect(leader.publisher.stats.published).toBe(entries.length);
    } finally {
      for (const { publisher, leadership } of replicas) {
        await publisher.stop();
        await leadership.stop();
      }
    }
  }, 30_000);
});
