// TEMPORARY: the interface of h6's AmiClusterNode (CLUSTER-SPEC.md), until lib/cluster/cluster.types.ts
// and lib/cluster/cluster-node.ts land. Deleted when they do.
import type { AmiClient } from '../../client/ami-client.js';
import type { AmiClientOptions, AmiLogger } from '../../client/ami-client.types.js';
import type { AmiRedisSource } from '../../cluster/redis-connection.js';
import type { AmiEvent } from '../../protocol/ami-message.js';

export type AmiDelivery = 'once' | 'every' | 'leader';
export interface AmiClusterDelivery {
  eventId: string;
  deliveryCount: number;
  delivery: AmiDelivery;
}
export type AmiClusterEventSink = (event: AmiEvent, delivery: AmiClusterDelivery) => Promise<void> | void;
export type AmiClusterLifecycleEvent =
  | { kind: 'leadershipGained'; epoch: number }
  | { kind: 'leadershipLost'; reason: string }
  | { kind: 'eventGap'; from: number | null; to: number; epoch: number };
export interface AmiClusterOptions {
  redis: AmiRedisSource;
  group: string;
  leaseTtl?: number;
  retention?: number;
  bufferLimit?: number;
  claimIdle?: number;
  maxDeliveries?: number;
  keyPrefix?: string;
  maxLag?: number;
}
export interface AmiClusterStats {
  published: number;
  dropped: number;
  refused: number;
  buffered: number;
  delivered: number;
  acked: number;
  failed: number;
  claimed: number;
  deadLettered: number;
}
export interface AmiClusterNodeParams {
  connection: string;
  client: AmiClient;
  clientOptions: AmiClientOptions;
  cluster: AmiClusterOptions;
  logger?: AmiLogger;
  sinks: {
    every: AmiClusterEventSink;
    once?: AmiClusterEventSink;
    leader?: AmiClusterEventSink;
    lifecycle?: (event: AmiClusterLifecycleEvent) => void;
  };
}
export class AmiClusterNode {
  readonly replicaId = '';
  constructor(readonly params: AmiClusterNodeParams) {}
  start(): Promise<void> {
    return Promise.reject(new Error('AmiClusterNode: not merged yet (h6)'));
  }
  async stop(_timeoutMs?: number): Promise<void> {}
  get role(): 'leader' | 'follower' {
    return 'follower';
  }
  get epoch(): number | null {
    return null;
  }
  async leader(): Promise<string | null> {
    return null;
  }
  async lag(): Promise<{ once: number; leader: number }> {
    return { once: 0, leader: 0 };
  }
  get stats(): AmiClusterStats {
    return {
      published: 0,
      dropped: 0,
      refused: 0,
      buffered: 0,
      delivered: 0,
      acked: 0,
      failed: 0,
      claimed: 0,
      deadLettered: 0,
    };
  }
}
