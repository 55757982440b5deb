// TEMPORARY: h6's AmiClusterNode (lib/cluster/cluster-node.ts) is not merged yet; this stub has its
// interface (CLUSTER-SPEC.md) so the Nest layer compiles. Deleted when the real one lands.
import type { AmiClusterNodeParams, AmiClusterStats } from '../../cluster/cluster.types.js';

export class AmiClusterNode {
  readonly replicaId: string = '';
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
