import type { AmiClusterStats } from '../../cluster/cluster.types.js';
import { type AmiClusterNode, emptyClusterStats } from '../../cluster/cluster-node.js';
import { DEFAULT_MAX_LAG } from '../../cluster/cluster-options.js';

/** Where a connection stands in its cluster group: `AmiService.cluster` in cluster mode. */
export interface AmiClusterView {
  /** `leader` while this replica holds the group's lease (and the AMI event session). */
  readonly role: 'leader' | 'follower';
  /** This replica's ID in the group (empty before the application's bootstrap). */
  readonly replicaId: string;
  /** The fencing epoch of this replica's leadership, null while it is a follower. */
  readonly epoch: number | null;
  /** The lease holder's replica ID, read from Redis; null when the group has no leader. */
  leader(): Promise<string | null>;
  /** Entries not yet handled by the group's `once` and `leader` consumers. */
  lag(): Promise<{ once: number; leader: number }>;
  /** Counters since the bootstrap. */
  readonly stats: AmiClusterStats;
}

/**
 * The view AmiService hands out. Exists with the providers, so it can be injected anywhere; the node
 * behind it is created at the bootstrap, once the handlers are wired (which consumers it runs depends
 * on them). Before that it is a follower with nothing counted.
 */
export class AmiClusterNodeView implements AmiClusterView {
  private node: AmiClusterNode | null = null;

  constructor(
    /** The health indicator's threshold on the `once` lag. */
    readonly maxLag: number = DEFAULT_MAX_LAG,
  ) {}

  attach(node: AmiClusterNode): void {
    this.node = node;
  }

  get role(): 'leader' | 'follower' {
    return this.node?.role ?? 'follower';
  }

  get replicaId(): string {
    return this.node?.replicaId ?? '';
  }

  get epoch(): number | null {
    return this.node?.epoch ?? null;
  }

  leader(): Promise<string | null> {
    return this.node === null ? Promise.resolve(null) : this.node.leader();
  }

  lag(): Promise<{ once: number; leader: number }> {
    return this.node === null ? Promise.resolve({ once: 0, leader: 0 }) : this.node.lag();
  }

  /**
   * AmiClusterNode.claim: true for one replica of the group alone (AsyncAGI sessions). False before the
   * node exists. Not in AmiClusterView: the package's own modules use it.
   */
  claim(name: string, ttlMs: number): Promise<boolean> {
    return this.node === null ? Promise.resolve(false) : this.node.claim(name, ttlMs);
  }

  get stats(): AmiClusterStats {
    return this.node?.stats ?? emptyClusterStats();
  }
}
