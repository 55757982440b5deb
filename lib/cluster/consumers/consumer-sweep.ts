import type { Redis } from 'ioredis';

// Atomic, so a consumer that reads between the check and the delete cannot lose entries: DELCONSUMER
// drops the consumer's pending entries, and this deletes only consumers that have none.
const SWEEP = `
local removed = 0
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local name, pending, idle
  for i = 1, #consumer, 2 do
    local field = consumer[i]
    if field == 'name' then name = consumer[i + 1]
    elseif field == 'pending' then pending = consumer[i + 1]
    elseif field == 'idle' then idle = consumer[i + 1] end
  end
  if pending == 0 and idle > tonumber(ARGV[2]) and name ~= ARGV[3] then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
    removed = removed + 1
  end
end
return removed
`;

/**
 * Removes from a group the consumers that hold nothing and have not read for `idleMs` (replicas that
 * died or were replaced: each process has a new name, so they would pile up in XINFO CONSUMERS).
 * A live consumer reads every blockMs; one removed anyway is recreated by its next read.
 */
export async function sweepIdleConsumers(
  redis: Redis,
  stream: string,
  group: string,
  idleMs: number,
  self: string,
): Promise<number> {
  return Number(await redis.eval(SWEEP, 1, stream, group, idleMs, self));
}

const REMOVE_SELF = `
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/** Removes this consumer from its group if it holds no pending entry (after a clean stop). */
export async function removeConsumerIfIdle(
  redis: Redis,
  stream: string,
  group: string,
  self: string,
): Promise<boolean> {
  return Number(await redis.eval(REMOVE_SELF, 1, stream, group, self)) === 1;
}
