import { hostname } from 'node:os';
import { identityOfToken, leaseToken, replicaIdentity } from '../../../lib/cluster/replica-identity.js';

describe('replica identity and lease tokens', () => {
  it('names host and pid, and differs between two replicas of one process image', () => {
    const a = replicaIdentity();
    const b = replicaIdentity();
    expect(a.startsWith(`${hostname()}:${process.pid}:`)).toBe(true);
    expect(a).not.toBe(b);
  });

  it('a token per term, from which the identity is read back', () => {
    const identity = replicaIdentity();
    const first = leaseToken(identity);
    expect(leaseToken(identity)).not.toBe(first);
    expect(identityOfToken(first)).toBe(identity);
  });
});
