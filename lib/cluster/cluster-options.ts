import { AmiInvalidActionError } from '../errors/ami-errors.js';
import type { AmiClusterOptions } from './cluster.types.js';
import { DEFAULT_KEY_PREFIX } from './cluster-keys.js';
import { DEFAULT_BUFFER_BYTES, DEFAULT_BUFFER_LIMIT, DEFAULT_RETENTION } from './event-publisher.js';
import { DEFAULT_LEASE_TTL } from './leadership.js';

export const DEFAULT_CLAIM_IDLE = 30_000;
export const DEFAULT_MAX_DELIVERIES = 5;
export const DEFAULT_MAX_LAG = 10_000;
/**
 * Long enough for an Asterisk restart (a few seconds, which every replica would meet alike) and a
 * reconnection step; short enough that a leader cut off from the PBX hands over within seconds.
 */
export const DEFAULT_EVENT_SESSION_TIMEOUT = 15_000;
/**
 * As long as the default claimIdle: an entry pending longer than that may be claimed by another replica
 * anyway, so a handler still running past it would run twice at once.
 */
export const DEFAULT_HANDLER_TIMEOUT = 30_000;

export type ResolvedClusterOptions = Required<AmiClusterOptions>;

const KEY_PART = /^[^{}\s]+$/;

/**
 * Checks the `cluster` options and fills in the defaults. A bad value is refused with
 * AmiInvalidActionError naming the option (`cluster.leaseTtl ...`); the Redis URL is never echoed (it
 * may hold a password).
 */
export function resolveClusterOptions(options: AmiClusterOptions): ResolvedClusterOptions {
  if (options === null || typeof options !== 'object') {
    throw new AmiInvalidActionError(`cluster must be an object with redis and group, not ${typeof options}`);
  }
  const { redis } = options;
  const isClient = typeof redis === 'object' && redis !== null && typeof redis.duplicate === 'function';
  if (typeof redis !== 'string' && !isClient) {
    throw new AmiInvalidActionError(
      `cluster.redis must be a Redis URL (redis:// or rediss://) or an ioredis client, not ${describeType(redis)}`,
    );
  }
  return {
    redis,
    group: keyPart('group', options.group, undefined),
    keyPrefix: keyPart('keyPrefix', options.keyPrefix, DEFAULT_KEY_PREFIX),
    leaseTtl: integer('leaseTtl', options.leaseTtl, DEFAULT_LEASE_TTL, 300),
    retention: integer('retention', options.retention, DEFAULT_RETENTION, 1),
    bufferLimit: integer('bufferLimit', options.bufferLimit, DEFAULT_BUFFER_LIMIT, 1),
    bufferBytes: integer('bufferBytes', options.bufferBytes, DEFAULT_BUFFER_BYTES, 1),
    claimIdle: integer('claimIdle', options.claimIdle, DEFAULT_CLAIM_IDLE, 1),
    maxDeliveries: integer('maxDeliveries', options.maxDeliveries, DEFAULT_MAX_DELIVERIES, 1),
    maxLag: integer('maxLag', options.maxLag, DEFAULT_MAX_LAG, 0),
    eventSessionTimeout: integer(
      'eventSessionTimeout',
      options.eventSessionTimeout,
      DEFAULT_EVENT_SESSION_TIMEOUT,
      100,
    ),
    handlerTimeout: integer('handlerTimeout', options.handlerTimeout, DEFAULT_HANDLER_TIMEOUT, 1),
  };
}

function keyPart(name: string, value: unknown, fallback: string | undefined): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !KEY_PART.test(value)) {
    throw new AmiInvalidActionError(
      `cluster.${name} must be a non-empty string without braces or spaces, not ${JSON.stringify(value) ?? 'undefined'}`,
    );
  }
  return value;
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new AmiInvalidActionError(
      `cluster.${name} must be an integer of at least ${min}, not ${typeof value === 'number' ? value : describeType(value)}`,
    );
  }
  return value;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object that is not an ioredis client';
  return typeof value;
}
