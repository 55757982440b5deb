import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiLiveBridge } from './live.types.js';
import type { LiveChanges } from './live-changes.js';
import { withBridgeChannels } from './live-fields.js';

/** The live bridges by BridgeUniqueid, with the Uniqueids of their channels. */
export class BridgeMap {
  private readonly byId = new Map<string, AmiLiveBridge>();

  constructor(private readonly changes: LiveChanges) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): AmiLiveBridge | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<AmiLiveBridge> {
    return this.byId.values();
  }

  set(bridge: AmiLiveBridge, cause: AmiEvent | null): void {
    const kind = this.byId.has(bridge.BridgeUniqueid) ? 'changed' : 'added';
    this.byId.set(bridge.BridgeUniqueid, bridge);
    this.changes.emit('bridge', kind, bridge.BridgeUniqueid, bridge, cause);
  }

  delete(id: string, cause: AmiEvent | null): AmiLiveBridge | undefined {
    const bridge = this.byId.get(id);
    if (bridge === undefined) return undefined;
    this.byId.delete(id);
    this.changes.emit('bridge', 'removed', id, bridge, cause);
    return bridge;
  }

  addMember(id: string, uniqueid: string, cause: AmiEvent | null): void {
    const bridge = this.byId.get(id);
    if (bridge === undefined || bridge.channels.includes(uniqueid)) return;
    this.set(withBridgeChannels(bridge, [...bridge.channels, uniqueid]), cause);
  }

  removeMember(id: string, uniqueid: string, cause: AmiEvent | null): void {
    const bridge = this.byId.get(id);
    if (bridge === undefined || !bridge.channels.includes(uniqueid)) return;
    this.set(
      withBridgeChannels(
        bridge,
        bridge.channels.filter((member) => member !== uniqueid),
      ),
      cause,
    );
  }
}
