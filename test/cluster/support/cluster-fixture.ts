import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type AmiClusterKeys, clusterKeys } from '../../../lib/cluster/cluster-keys.js';
import { type AmiRedisConnection, connectRedis } from '../../../lib/cluster/redis-connection.js';
import type { AmiEvent } from '../../../lib/protocol/ami-message.js';
import { asterisk } from '../../e2e/support/asterisk-target.js';
import { redisTarget } from './redis-server.js';

/** A group name no other test uses. */
export const freshGroup = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;

/** Keys of a group no other test uses, on the connection `default`. */
export function freshKeys(prefix = 'test'): AmiClusterKeys {
  return clusterKeys(freshGroup(prefix), 'default');
}

/** The rig's Asterisk and its test user: an AmiClient's options, or an AmiModule's. */
export const amiOptions = () => ({
  host: asterisk.host,
  port: asterisk.port,
  username: asterisk.username,
  secret: asterisk.secret,
});

/** Opened connections, closed by closeAll() (afterEach/afterAll). */
export class Connections {
  private readonly opened: AmiRedisConnection[] = [];

  async open(): Promise<Redis> {
    const connection = await connectRedis(redisTarget.url);
    this.opened.push(connection);
    return connection.redis;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((connection) => connection.close()));
  }
}

/** A logger that keeps its lines, to count them and to check what they say. */
export function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const keep = (level: string) => (message: unknown) => {
    lines.push({ level, message: String(message) });
  };
  return {
    lines,
    logger: { log: keep('log'), warn: keep('warn'), error: keep('error'), debug: keep('debug') },
  };
}

/** Resolves with the next emission of a leadership event. */
export function nextEmission<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  timeout = 20_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no emission within ${timeout} ms`));
    }, timeout);
    const unsubscribe = subscribe((value) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
  });
}

/**
 * The publisher as the relay sees it, keeping the Seq of every event the relay handed it: the events the
 * publisher accepted. The rule they are checked against: each is appended once, in order, or counted in
 * stats.dropped. (Not "offered while `isLeader`" read by the test: the relay reads the lease's deadline
 * again a moment later, and an event offered as the deadline passes is rightly never accepted.)
 */
export function acceptingPublisher(publisher: { publish(event: AmiEvent, receivedAt?: number): void }) {
  const accepted: number[] = [];
  return {
    accepted,
    publish(event: AmiEvent, receivedAt?: number): void {
      accepted.push(Number(event.Seq));
      publisher.publish(event, receivedAt);
    },
  };
}
