/**
 * The Redis keys of one group (an application) on one AMI connection. They share one hash tag, so Lua
 * scripts that touch several of them also run on a Redis Cluster (all keys of a script in one slot).
 */
export interface AmiClusterKeys {
  /** String: the token of the replica holding the AMI event session; expires unless renewed. */
  readonly lease: string;
  /** Counter: incremented at each new lease holder, the fencing epoch stored in every stream entry. */
  readonly epoch: string;
  /** Stream: the events the leader published, bounded by the retention option. */
  readonly events: string;
  /** Stream: events whose handlers failed past the delivery limit. */
  readonly deadLetters: string;
  /**
   * Stream: a copy of each gap marker (short retention), so every replica learns of gaps without reading
   * every event (a replica with no `every` reader watches this one only).
   */
  readonly gaps: string;
  /** Prefix of the claim keys (`<claims>:<name>`): strings set once (NX) with a TTL, see AmiClusterNode.claim. */
  readonly claims: string;
}

/** Consumer group names on the events stream. */
export const ONCE_GROUP = 'once';
export const LEADER_GROUP = 'leader';

export const DEFAULT_KEY_PREFIX = 'nestjs-ami';

export function clusterKeys(group: string, connection: string, prefix = DEFAULT_KEY_PREFIX): AmiClusterKeys {
  for (const [what, value] of [
    ['group', group],
    ['connection', connection],
    ['prefix', prefix],
  ] as const) {
    if (typeof value !== 'string' || value === '' || /[{}\s]/.test(value)) {
      throw new TypeError(
        `cluster ${what} must be a non-empty string without braces or spaces, got "${value}"`,
      );
    }
  }
  const tag = `${prefix}:{${group}:${connection}}`;
  return {
    lease: `${tag}:lease`,
    epoch: `${tag}:epoch`,
    events: `${tag}:events`,
    deadLetters: `${tag}:dead`,
    gaps: `${tag}:gaps`,
    claims: `${tag}:claim`,
  };
}
