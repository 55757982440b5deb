import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process' name among the replicas: host, pid and a random part, so two replicas on one host (or
 * a pid reused in a restarted container) never share one. Used as the consumer name and in lease tokens.
 */
export function replicaIdentity(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A lease token: the replica's identity (who leads, for `leader()`) and a part unique to this term. */
export function leaseToken(identity: string): string {
  return `${identity}#${randomBytes(8).toString('hex')}`;
}

/** The identity inside a lease token. */
export function identityOfToken(token: string): string {
  const cut = token.lastIndexOf('#');
  return cut < 0 ? token : token.slice(0, cut);
}
