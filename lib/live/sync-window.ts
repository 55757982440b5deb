/** What a resync's window records: each kind of thing has its own key space. */
export type SyncKey = 'channel' | 'bridge' | 'queue' | 'member' | 'caller';

/**
 * What events changed while a resync's lists were being read. The lists are as old as those events or
 * older, so at the end of the resync what an event touched keeps the events' state: a list answer never
 * brings back a channel hung up meanwhile, nor overwrites a newer state. Outside a resync touching costs
 * one null check.
 */
export class SyncWindow {
  private touchedKeys: Set<string> | null = null;

  get open(): boolean {
    return this.touchedKeys !== null;
  }

  begin(): void {
    this.touchedKeys = new Set();
  }

  /** Ends the window; returns what was touched in it (see `has`). */
  end(): TouchedKeys {
    const touched = this.touchedKeys ?? new Set<string>();
    this.touchedKeys = null;
    return new TouchedKeys(touched);
  }

  /** `id`: a Uniqueid, a bridge id, a queue name; for a member, the queue and the interface. */
  touch(kind: SyncKey, id: string, iface?: string): void {
    if (this.touchedKeys === null) return;
    this.touchedKeys.add(keyOf(kind, id, iface));
  }
}

export class TouchedKeys {
  constructor(private readonly keys: ReadonlySet<string>) {}

  has(kind: SyncKey, id: string, iface?: string): boolean {
    return this.keys.has(keyOf(kind, id, iface));
  }
}

function keyOf(kind: SyncKey, id: string, iface: string | undefined): string {
  return iface === undefined ? `${kind}\n${id}` : `${kind}\n${id}\n${iface}`;
}
