import { type AmiEvent, firstHeaderValue } from '../protocol/ami-message.js';
import type { CallRecord } from './call-record.js';

/** One call the tracker follows, with what the tracker needs besides the record. */
export interface Tracked {
  record: CallRecord;
  /** The ids it is indexed under, to unindex it in one go. */
  keys: Set<string>;
  /** How it came: originate() (the Originate may still create it), track(), or trackAll. */
  origin: 'originate' | 'track' | 'auto';
  /** The tracker's counter when it began: a listing sent before cannot judge it. */
  since: number;
  /**
   * Its last channel hung up before the Originate settled: Asterisk may send the OriginateResponse after
   * the last Hangup, and its Reason can be the only word on the outcome (Local channel to no extension).
   */
  hungUp?: { at: number; event: AmiEvent };
  /** Waits for the first event of a call whose Originate failed before any was seen. */
  graceTimer?: NodeJS.Timeout;
}

const ID_HEADERS = ['Uniqueid', 'Linkedid', 'DestUniqueid', 'DestLinkedid'];

/**
 * The calls being followed, indexed by every id an event may name them by: the followed channel's
 * Uniqueid, the call's Linkedid and the Uniqueids of its channels still up. Two tracked calls can share an
 * id (track() of two channels of one call).
 */
export class TrackedCalls {
  readonly all = new Set<Tracked>();
  private readonly byId = new Map<string, Set<Tracked>>();

  get size(): number {
    return this.all.size;
  }

  add(tracked: Tracked): void {
    this.all.add(tracked);
    this.index(tracked);
  }

  /** The tracked call followed under exactly this id (its channel or its Linkedid). */
  named(id: string): Tracked | undefined {
    for (const tracked of this.byId.get(id) ?? [])
      if (tracked.record.uniqueid === id || tracked.record.linkedid === id) return tracked;
    return undefined;
  }

  /** The tracked calls the event is about: usually one. */
  owners(event: AmiEvent): Tracked[] {
    const found: Tracked[] = [];
    for (const name of ID_HEADERS) {
      const id = firstHeaderValue(event, name);
      const owners = id === undefined ? undefined : this.byId.get(id);
      if (owners === undefined) continue;
      for (const tracked of owners)
        if (!found.includes(tracked) && tracked.record.owns(event)) found.push(tracked);
    }
    return found;
  }

  /** Brings the index in line with the record: its new ids in, the channels it no longer has out. */
  index(tracked: Tracked): void {
    const { record, keys } = tracked;
    const add = (id: string) => {
      if (keys.has(id)) return;
      keys.add(id);
      const owners = this.byId.get(id);
      if (owners === undefined) this.byId.set(id, new Set([tracked]));
      else owners.add(tracked);
    };
    add(record.uniqueid);
    if (record.linkedid !== undefined) add(record.linkedid);
    for (const uniqueid of record.channels.keys()) add(uniqueid);
    for (const id of keys) if (!record.channels.has(id)) this.unindex(tracked, id);
  }

  /** A channel's id, once it hung up (the call's own ids stay until it ends). */
  unindex(tracked: Tracked, id: string): void {
    if (id === tracked.record.uniqueid || id === tracked.record.linkedid) return;
    tracked.keys.delete(id);
    this.unlink(id, tracked);
  }

  forget(tracked: Tracked): void {
    clearTimeout(tracked.graceTimer);
    this.all.delete(tracked);
    for (const id of tracked.keys) this.unlink(id, tracked);
    tracked.keys.clear();
  }

  private unlink(id: string, tracked: Tracked): void {
    const owners = this.byId.get(id);
    owners?.delete(tracked);
    if (owners?.size === 0) this.byId.delete(id);
  }
}
