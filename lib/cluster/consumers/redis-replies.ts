/** One raw stream entry as Redis returns it: `[id, [field, value, ...]]`, fields null once deleted. */
export type RawStreamEntry = [id: string, fields: string[] | null];

/** The entries of the one stream an XREAD/XREADGROUP asked for; [] for a nil reply (timeout). */
export function entriesOfReadReply(reply: unknown): RawStreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const stream = reply[0] as unknown;
  if (!Array.isArray(stream) || !Array.isArray(stream[1])) return [];
  return stream[1] as RawStreamEntry[];
}

/** XAUTOCLAIM's `[next cursor, entries, deleted ids]` (Redis 7; 6.2 has no third element). */
export interface AutoClaimReply {
  readonly cursor: string;
  readonly entries: RawStreamEntry[];
  readonly deletedIds: string[];
}

export function parseAutoClaimReply(reply: unknown): AutoClaimReply {
  const [cursor, entries, deleted] = Array.isArray(reply) ? reply : [];
  return {
    cursor: typeof cursor === 'string' ? cursor : '0-0',
    // A nil entry (6.2, deleted meanwhile) is dropped; Redis 7 lists those in deletedIds instead.
    entries: Array.isArray(entries) ? (entries as (RawStreamEntry | null)[]).filter(isEntry) : [],
    deletedIds: Array.isArray(deleted) ? (deleted as string[]) : [],
  };
}

function isEntry(entry: RawStreamEntry | null): entry is RawStreamEntry {
  return Array.isArray(entry) && typeof entry[0] === 'string';
}

/** The delivery count in an extended XPENDING reply's first row `[[id, consumer, idle, count]]`. */
export function deliveryCountOfPendingReply(reply: unknown): number | undefined {
  if (!Array.isArray(reply) || !Array.isArray(reply[0])) return undefined;
  const count = Number((reply[0] as unknown[])[3]);
  return Number.isFinite(count) ? count : undefined;
}

/** The rows of an extended XPENDING reply as id → delivery count. */
export function deliveryCountsOfPendingReply(reply: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(reply)) return counts;
  for (const row of reply as unknown[]) {
    if (Array.isArray(row) && typeof row[0] === 'string') counts.set(row[0], Number(row[3]));
  }
  return counts;
}

/** One group's line of XINFO GROUPS, from its flat `[name, value, ...]` list. */
export interface GroupInfo {
  readonly pending: number;
  readonly lastDeliveredId: string;
  /** Null when Redis cannot tell (a group created or set at an arbitrary ID). */
  readonly lag: number | null;
}

export function groupInfoOf(reply: unknown, group: string): GroupInfo | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const row of reply as unknown[]) {
    if (!Array.isArray(row)) continue;
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < row.length; i += 2) fields.set(String(row[i]), row[i + 1]);
    if (fields.get('name') !== group) continue;
    const lag = fields.get('lag');
    return {
      pending: Number(fields.get('pending') ?? 0),
      lastDeliveredId: String(fields.get('last-delivered-id') ?? '0-0'),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  }
  return undefined;
}

/** Redis's answer when the stream or its group is gone (a restart without persistence, a DEL). */
export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOGROUP');
}

/** XGROUP CREATE on a group that exists: someone else created it first. */
export function isBusyGroupError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('BUSYGROUP');
}

/** Compares two stream IDs (`ms-seq`) numerically: negative when a < b. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = splitId(a);
  const [bMs, bSeq] = splitId(b);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

function splitId(id: string): [bigint, bigint] {
  const dash = id.indexOf('-');
  try {
    return dash < 0 ? [BigInt(id), 0n] : [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
  } catch {
    return [0n, 0n];
  }
}
