import { performance } from 'node:perf_hooks';
import { AmiClient, type AmiClientOptions, type AmiEvent, type AmiLogger } from '../../../lib/client.js';
import type {
  AmiClusterDelivery,
  AmiClusterLifecycleEvent,
  AmiClusterOptions,
} from '../../../lib/cluster/cluster.types.js';
import { AmiClusterNode } from '../../../lib/cluster/cluster-node.js';
import { amiOptions, freshGroup } from '../support/cluster-fixture.js';
import { redisTarget } from '../support/redis-server.js';
import { waitFor } from '../support/stream-reader.js';

export interface Received {
  readonly event: AmiEvent;
  readonly delivery: AmiClusterDelivery;
}

/** One replica in this process: its own action client, its own Redis connection, its sinks' records. */
export interface TestReplica {
  readonly name: string;
  readonly node: AmiClusterNode;
  readonly client: AmiClient;
  readonly every: Received[];
  readonly once: Received[];
  readonly leader: Received[];
  readonly lifecycle: AmiClusterLifecycleEvent[];
  /** When each lifecycle event came (performance.now()), index for index. */
  readonly lifecycleAt: number[];
  stopped: boolean;
}

export { amiOptions, freshGroup };

/** Replicas of one group, stopped by stopAll(). */
export class Replicas {
  readonly all: TestReplica[] = [];

  async start(
    name: string,
    cluster: Omit<AmiClusterOptions, 'redis'> & { redis?: AmiClusterOptions['redis'] },
    sinks: { once?: boolean; leader?: boolean; every?: boolean } = { once: true, leader: true },
    /** Options of the leader's event session only (the action client keeps amiOptions()); a logger. */
    extra: { eventSession?: Partial<AmiClientOptions>; logger?: AmiLogger } = {},
  ): Promise<TestReplica> {
    const clientOptions = { ...amiOptions(), actionIdPrefix: `${name}-` };
    const client = new AmiClient(clientOptions);
    const replica: TestReplica = {
      name,
      client,
      every: [],
      once: [],
      leader: [],
      lifecycle: [],
      lifecycleAt: [],
      stopped: false,
      node: undefined as unknown as AmiClusterNode,
    };
    const record = (into: Received[]) => (event: AmiEvent, delivery: AmiClusterDelivery) => {
      into.push({ event, delivery });
    };
    const node = new AmiClusterNode({
      connection: 'default',
      client,
      clientOptions: { ...clientOptions, ...extra.eventSession },
      cluster: { ...cluster, redis: cluster.redis ?? redisTarget.url },
      logger: extra.logger,
      sinks: {
        every: sinks.every === false ? undefined : record(replica.every),
        once: sinks.once ? record(replica.once) : undefined,
        leader: sinks.leader ? record(replica.leader) : undefined,
        lifecycle: (event) => {
          replica.lifecycle.push(event);
          replica.lifecycleAt.push(performance.now());
        },
      },
    });
    (replica as { node: AmiClusterNode }).node = node;
    this.all.push(replica);
    await client.connect();
    await node.start();
    return replica;
  }

  async stop(replica: TestReplica): Promise<void> {
    if (replica.stopped) return;
    replica.stopped = true;
    await replica.node.stop();
    await replica.client.disconnect();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((replica) => this.stop(replica)));
  }

  live(): TestReplica[] {
    return this.all.filter((replica) => !replica.stopped);
  }

  /** Waits until exactly one live replica leads, and every live one agrees in Redis; returns it. */
  async leader(): Promise<TestReplica> {
    return waitFor('one leader', async () => {
      const leading = this.live().filter((replica) => replica.node.role === 'leader');
      if (leading.length !== 1) return undefined;
      const [one] = leading;
      const said = await Promise.all(this.live().map((replica) => replica.node.leader()));
      return said.every((id) => id === one.node.replicaId) ? one : undefined;
    });
  }
}

/** Received entries of one UserEvent name. */
export function userEvents(received: readonly Received[], name: string): Received[] {
  return received.filter((entry) => entry.event.Event === 'UserEvent' && entry.event.UserEvent === name);
}
