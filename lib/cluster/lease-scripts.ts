import { LuaScript } from './lua-script.js';

// Every script takes KEYS[1] = the lease. The lease's value is the holder's token; a holder proves
// itself with its token, so only the holder extends or releases, and only while it still holds.

/**
 * KEYS[1] lease, KEYS[2] epoch; ARGV[1] token, ARGV[2] ttl (ms).
 * Returns the fencing epoch (> 0) when the caller holds the lease afterwards: newly taken (the epoch
 * counter is incremented in the same step, so each holder gets a greater one) or already its own (a retry
 * whose first reply was lost: extended, same epoch). Returns -pttl (<= 0) when another holds it: the
 * caller knows when to try again.
 */
export const acquireLease = new LuaScript(
  'acquireLease',
  `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('GET', KEYS[2]) or '0')
end
if holder then
  return -math.max(redis.call('PTTL', KEYS[1]), 0)
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('INCR', KEYS[2])
`,
);

/** KEYS[1] lease; ARGV[1] token, ARGV[2] ttl (ms). 1: extended; 0: the caller no longer holds it. */
export const renewLease = new LuaScript(
  'renewLease',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`,
);

/**
 * KEYS[1] lease; ARGV[1] token, ARGV[2] the channel followers listen on. 1: released, and the followers
 * told on the channel (in the same step, so none misses it); 0: the caller did not hold it (nothing changed).
 */
export const releaseLease = new LuaScript(
  'releaseLease',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'freed')
  return 1
end
return 0
`,
);
