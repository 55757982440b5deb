import { LuaScript } from './lua-script.js';

/**
 * The fenced append. KEYS[1] lease, KEYS[2] events stream.
 * ARGV[1] token, ARGV[2] epoch, ARGV[3] retention (MAXLEN ~), ARGV[4] the ID the caller believes is the
 * stream's last ('' = do not check), then one (kind, event JSON, received-at ms) triple per entry: kind
 * `event`, or `gap` (a gap marker, its JSON ignored: the script writes `gap` = { from, to, epoch }, `from`
 * being the `at` of the stream's last entry then, null when there is none, `to` its received-at).
 *
 * Returns {0} and appends nothing unless the lease holds the caller's token (a stalled leader can never
 * write); {2, lastId, lastEpoch} and appends nothing when the stream's last entry is not the one the caller
 * expects (a batch of its own whose reply was lost, or another leader's entries: the caller decides);
 * {1, lastId} when every entry was appended, in order, with the fields stream-entry.ts encodes (events:
 * `event`, `epoch`, `at`; gap markers: `gap`, `epoch`, `at`). A missing or empty stream passes the
 * check: Redis lost it (restart).
 */
export const publishEvents = new LuaScript(
  'publishEvents',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {0}
end
if ARGV[4] ~= '' then
  local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  if #last > 0 and last[1][1] ~= ARGV[4] then
    local fields = last[1][2]
    local epoch = ''
    for i = 1, #fields, 2 do
      if fields[i] == 'epoch' then epoch = fields[i + 1] end
    end
    return {2, last[1][1], epoch}
  end
end
local id = ''
for i = 5, #ARGV, 3 do
  if ARGV[i] == 'gap' then
    local from = 'null'
    local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
    if #last > 0 then
      local fields = last[1][2]
      for j = 1, #fields, 2 do
        if fields[j] == 'at' and tonumber(fields[j + 1]) then from = fields[j + 1] end
      end
    end
    local gap = '{"from":' .. from .. ',"to":' .. ARGV[i + 2] .. ',"epoch":' .. ARGV[2] .. '}'
    id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'gap', gap, 'epoch', ARGV[2], 'at', ARGV[i + 2])
  else
    id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'event', ARGV[i + 1], 'epoch', ARGV[2], 'at', ARGV[i + 2])
  end
end
return {1, id}
`,
);

export type PublishOutcome =
  | { readonly kind: 'appended'; readonly lastId: string }
  | { readonly kind: 'refused' }
  | { readonly kind: 'unexpected-last'; readonly lastId: string; readonly lastEpoch: number };

export function readPublishOutcome(reply: unknown): PublishOutcome {
  const [code, id, epoch] = Array.isArray(reply) ? reply : [];
  if (code === 1 && typeof id === 'string') return { kind: 'appended', lastId: id };
  if (code === 2 && typeof id === 'string')
    return { kind: 'unexpected-last', lastId: id, lastEpoch: Number(epoch) };
  if (code === 0) return { kind: 'refused' };
  throw new Error(`the publish script answered ${JSON.stringify(reply)}`);
}
