import type { AmiEvent } from '../protocol/ami-message.js';
import type { LiveChanges } from './live-changes.js';
import type { BridgeRecord } from './live-fields.js';

/** How many destroyed bridge ids are remembered at most when no resync forgets them. */
const MAX_DESTROYED = 1_000;

/**
 * The live bridges by BridgeUniqueid, with the Uniqueids of their channels; and the ids of the bridges
 * destroyed (BridgeDestroy) that a list answer may still name: Asterisk can answer BridgeList from
 * before a destroy that was read already, even before the resync began, and no second BridgeDestroy
 * would ever remove it again.
 */
export class BridgeMap {
  private readonly byId = new Map<string, BridgeRecord>();
  private readonly destroyedIds = new Set<string>();

  constructor(private readonly changes: LiveChanges) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): BridgeRecord | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<BridgeRecord> {
    return this.byId.values();
  }

  set(bridge: BridgeRecord, cause: AmiEvent | null): void {
    const kind = this.byId.has(bridge.BridgeUniqueid) ? 'changed' : 'added';
    this.byId.set(bridge.BridgeUniqueid, bridge);
    this.changes.emit('bridge', kind, bridge.BridgeUniqueid, bridge, cause);
  }

  delete(id: string, cause: AmiEvent | null): BridgeRecord | undefined {
    const bridge = this.byId.get(id);
    if (bridge === undefined) return undefined;
    this.byId.delete(id);
    this.changes.emit('bridge', 'removed', id, bridge, cause);
    return bridge;
  }

  /** BridgeDestroy: forgets the bridge and remembers its id (see `wasDestroyed`). */
  destroy(id: string, cause: AmiEvent | null): BridgeRecord | undefined {
    this.destroyedIds.delete(id);
    this.destroyedIds.add(id);
    if (this.destroyedIds.size > MAX_DESTROYED) {
      const oldest = this.destroyedIds.values().next().value as string;
      this.destroyedIds.delete(oldest);
    }
    return this.delete(id, cause);
  }

  /** True for a bridge destroyed whose id a list may still name: no list brings it back. */
  wasDestroyed(id: string): boolean {
    return this.destroyedIds.has(id);
  }

  /** After a resync: forgets the destroyed ids that no later list can name any more. */
  forgetDestroyed(gone: (id: string) => boolean): void {
    for (const id of this.destroyedIds) if (gone(id)) this.destroyedIds.delete(id);
  }

  addMember(id: string, uniqueid: string, cause: AmiEvent | null): void {
    const bridge = this.byId.get(id);
    if (bridge === undefined || bridge.channels.includes(uniqueid)) return;
    bridge.channels.push(uniqueid);
    this.changes.emit('bridge', 'changed', id, bridge, cause);
  }

  removeMember(id: string, uniqueid: string, cause: AmiEvent | null): void {
    const bridge = this.byId.get(id);
    const index = bridge?.channels.indexOf(uniqueid) ?? -1;
    if (bridge === undefined || index === -1) return;
    bridge.channels.splice(index, 1);
    this.changes.emit('bridge', 'changed', id, bridge, cause);
  }
}
