import type { AmiEvent } from '../protocol/ami-message.js';
import type { LiveChanges } from './live-changes.js';
import type { BridgeRecord } from './live-fields.js';

/** The live bridges by BridgeUniqueid, with the Uniqueids of their channels. */
export class BridgeMap {
  private readonly byId = new Map<string, BridgeRecord>();

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
