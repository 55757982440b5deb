import { LuaScript } from './lua-script.js';

/** Gap markers the gaps stream keeps (MAXLEN ~): replicas watching it read only the new ones. */
export const GAP_RETENTION = 100;

/**
 * The fenced append of one batch. KEYS[1] lease, KEYS[2] events stream, KEYS[3] gaps stream.
 * ARGV[1] token, ARGV[2] epoch, ARGV[3] retention (MAXLEN ~), ARGV[4] the ID the caller believes is the
 * stream's last ('' = do not check), ARGV[5] the tag of the batch this one must follow ('' = none: then
 * ARGV[4] is checked), ARGV[6] this batch's tag (`<publisher>:<epoch>:<n>`, n growing), ARGV[7] the entries'
 * `at` joined by semicolons (an entry's `at`: its events' received-at times, whole ms, joined by commas),
 * then each entry's payload (one argument per entry rather than three: a third of the client's work per
 * argument): the AMI frames of the entry's events (field `frames`; its `at` holds one time per event), or
 * '' for a gap marker. For a gap marker the script writes `gap` = { from, to, epoch }, `from`
 * being the last received-at time of the stream's last entry then (null when there is none), `to` its at,
 * and a copy goes to the gaps stream.
 *
 * The last entry of each batch carries the field `batch` = its tag: the next batch of the same term checks
 * that the stream's last entry carries its predecessor's tag, so several batches can be on their way at once
 * and none lands unless the one before it did (a lost or failed batch never leaves a hole), and a batch
 * sent again (a reply lost) is recognised instead of appended twice.
 *
 * Returns {0} and appends nothing unless the lease holds the caller's token (a stalled leader can never
 * write); {3, lastId} and appends nothing when this batch is already in the stream (the last entry's tag is
 * this publisher's, of this epoch and not older than this batch's); {2, lastId, lastEpoch, lastTag} and appends nothing when the
 * stream's last entry is not the one the caller expects (its predecessor did not land, or another leader's
 * entries: the caller decides); {1, lastId} when every entry was appended, in order, with the fields
 * stream-entry.ts encodes (events: `frames`, `epoch`, `at`; gap markers: `gap`, `epoch`, `at`). A missing or
 * empty stream passes the checks: Redis lost it (restart).
 */
export const publishEvents = new LuaScript(
  'publishEvents',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {0}
end
local lastAt = nil
local tail = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #tail > 0 then
  local fields = tail[1][2]
  local epoch = ''
  local batch = nil
  for i = 1, #fields, 2 do
    local name = fields[i]
    if name == 'epoch' then epoch = fields[i + 1]
    elseif name == 'batch' then batch = fields[i + 1]
    elseif name == 'at' then lastAt = fields[i + 1] end
  end
  if batch ~= nil then
    local bp, be, bn = string.match(batch, '^(%x+):(%d+):(%d+)$')
    local mp, me, mn = string.match(ARGV[6], '^(%x+):(%d+):(%d+)$')
    if be ~= nil and bp == mp and be == me and tonumber(bn) >= tonumber(mn) then
      return {3, tail[1][1]}
    end
  end
  if ARGV[5] ~= '' then
    if batch ~= ARGV[5] then return {2, tail[1][1], epoch, batch or ''} end
  elseif ARGV[4] ~= '' and tail[1][1] ~= ARGV[4] then
    return {2, tail[1][1], epoch, batch or ''}
  end
end
local id = ''
local i = 8
for at in string.gmatch(ARGV[7], '[^;]+') do
  local json = ARGV[i]
  local extra = i == #ARGV
  i = i + 1
  if json == '' then
    local from = 'null'
    if lastAt ~= nil then from = string.match(lastAt, '(%d+)$') or 'null' end
    local gap = '{"from":' .. from .. ',"to":' .. at .. ',"epoch":' .. ARGV[2] .. '}'
    if extra then
      id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'gap', gap, 'epoch', ARGV[2], 'at', at, 'batch', ARGV[6])
    else
      id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'gap', gap, 'epoch', ARGV[2], 'at', at)
    end
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ${GAP_RETENTION}, '*', 'gap', gap, 'epoch', ARGV[2], 'at', at)
  else
    if extra then
      id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'frames', json, 'epoch', ARGV[2], 'at', at, 'batch', ARGV[6])
    else
      id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'frames', json, 'epoch', ARGV[2], 'at', at)
    end
  end
  lastAt = at
end
return {1, id}
`,
);

export type PublishOutcome =
  | { readonly kind: 'appended'; readonly lastId: string }
  | { readonly kind: 'already'; readonly lastId: string }
  | { readonly kind: 'refused' }
  | {
      readonly kind: 'unexpected-last';
      readonly lastId: string;
      readonly lastEpoch: number;
      /** The batch tag of the stream's last entry ('' when it has none: not the last of a batch). */
      readonly lastTag: string;
    };

export function readPublishOutcome(reply: unknown): PublishOutcome {
  const [code, id, epoch, tag] = Array.isArray(reply) ? reply : [];
  if (code === 1 && typeof id === 'string') return { kind: 'appended', lastId: id };
  if (code === 3 && typeof id === 'string') return { kind: 'already', lastId: id };
  if (code === 2 && typeof id === 'string')
    return {
      kind: 'unexpected-last',
      lastId: id,
      lastEpoch: Number(epoch),
      lastTag: typeof tag === 'string' ? tag : '',
    };
  if (code === 0) return { kind: 'refused' };
  throw new Error(`the publish script answered ${JSON.stringify(reply)}`);
}
