import type { AmiEvent } from '../protocol/ami-message.js';
import type { AmiLiveQueue, AmiLiveQueueCaller, AmiLiveQueueMember } from './live.types.js';
import type { LiveChanges } from './live-changes.js';
import { text, withPosition } from './live-fields.js';

export type AmiLiveQueueParams = Omit<AmiLiveQueue, 'members' | 'callers'>;

/** A queue's parameters from a QueueParams list item. */
export function queueParamsFrom(item: AmiEvent): AmiLiveQueueParams {
  return {
    Queue: text(item.Queue),
    Strategy: text(item.Strategy),
    Max: text(item.Max),
    Calls: text(item.Calls),
    Holdtime: text(item.Holdtime),
    TalkTime: text(item.TalkTime),
    Completed: text(item.Completed),
    Abandoned: text(item.Abandoned),
  };
}

/** A queue first heard of from an event (not in the last QueueStatus): parameters unknown until a resync. */
function unknownQueue(name: string): AmiLiveQueueParams {
  return {
    Queue: name,
    Strategy: '',
    Max: '',
    Calls: '0',
    Holdtime: '',
    TalkTime: '',
    Completed: '',
    Abandoned: '',
  };
}

/**
 * Queues by name with their members (by Interface) and waiting callers (in position order). Queues come
 * and go with the configuration (a resync), members with QueueMemberAdded/Removed, callers with
 * QueueCallerJoin/Leave (or their channel's Hangup).
 */
export class QueueMap {
  private readonly byName = new Map<string, AmiLiveQueue>();
  /** The queue each waiting caller is in, by Uniqueid: a Hangup finds it without a scan. */
  private readonly callerQueue = new Map<string, string>();
  private members = 0;

  constructor(private readonly changes: LiveChanges) {}

  get size(): number {
    return this.byName.size;
  }

  get memberCount(): number {
    return this.members;
  }

  get callerCount(): number {
    return this.callerQueue.size;
  }

  get(name: string): AmiLiveQueue | undefined {
    return this.byName.get(name);
  }

  values(): IterableIterator<AmiLiveQueue> {
    return this.byName.values();
  }

  /** The queue each waiting caller is in. */
  queueOfCaller(uniqueid: string): string | undefined {
    return this.callerQueue.get(uniqueid);
  }

  /** Stores a whole queue (a resync). */
  set(
    params: AmiLiveQueueParams,
    members: readonly AmiLiveQueueMember[],
    callers: readonly AmiLiveQueueCaller[],
    cause: AmiEvent | null,
  ): void {
    const previous = this.byName.get(params.Queue);
    if (previous !== undefined) this.forgetContents(previous);
    this.put(this.build(params, members, callers), previous === undefined ? 'added' : 'changed', cause);
  }

  delete(name: string, cause: AmiEvent | null): void {
    const queue = this.byName.get(name);
    if (queue === undefined) return;
    this.forgetContents(queue);
    this.byName.delete(name);
    this.changes.emit('queue', 'removed', name, queue, cause);
  }

  setMember(name: string, member: AmiLiveQueueMember, cause: AmiEvent): void {
    const queue = this.queueFor(name, cause);
    const index = queue.members.findIndex((known) => known.Interface === member.Interface);
    const members = [...queue.members];
    if (index === -1) {
      members.push(member);
      this.members += 1;
    } else {
      members[index] = member;
    }
    this.update(queue, { members }, cause);
  }

  removeMember(name: string, iface: string, cause: AmiEvent): void {
    const queue = this.byName.get(name);
    if (queue === undefined) return;
    const members = queue.members.filter((known) => known.Interface !== iface);
    if (members.length === queue.members.length) return;
    this.members -= 1;
    this.update(queue, { members }, cause);
  }

  join(name: string, caller: AmiLiveQueueCaller, count: string, cause: AmiEvent): void {
    const elsewhere = this.callerQueue.get(caller.Uniqueid);
    if (elsewhere !== undefined && elsewhere !== name) this.leave(elsewhere, caller.Uniqueid, cause);
    const queue = this.queueFor(name, cause);
    const callers = queue.callers.filter((known) => known.Uniqueid !== caller.Uniqueid);
    callers.push(caller);
    callers.sort((a, b) => Number(a.Position) - Number(b.Position));
    this.callerQueue.set(caller.Uniqueid, name);
    this.update(queue, { callers, Calls: count === '' ? String(callers.length) : count }, cause);
  }

  /** The caller left (answered, abandoned, timed out, hung up): those behind it move up. */
  leave(name: string, uniqueid: string, cause: AmiEvent, count?: string): void {
    const queue = this.byName.get(name);
    if (queue === undefined) return;
    const leaving = queue.callers.find((known) => known.Uniqueid === uniqueid);
    if (leaving === undefined) return;
    const position = Number(leaving.Position);
    const callers = queue.callers
      .filter((known) => known !== leaving)
      .map((known) =>
        Number(known.Position) > position ? withPosition(known, Number(known.Position) - 1) : known,
      );
    this.callerQueue.delete(uniqueid);
    this.update(
      queue,
      { callers, Calls: count === undefined || count === '' ? String(callers.length) : count },
      cause,
    );
  }

  private queueFor(name: string, cause: AmiEvent): AmiLiveQueue {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const queue = this.build(unknownQueue(name), [], []);
    this.put(queue, 'added', cause);
    return queue;
  }

  private update(
    queue: AmiLiveQueue,
    patch: Partial<Pick<AmiLiveQueue, 'members' | 'callers' | 'Calls'>>,
    cause: AmiEvent | null,
  ): void {
    const next: AmiLiveQueue = { ...queue, ...patch };
    Object.freeze(next.members);
    Object.freeze(next.callers);
    this.put(Object.freeze(next), 'changed', cause);
  }

  private build(
    params: AmiLiveQueueParams,
    members: readonly AmiLiveQueueMember[],
    callers: readonly AmiLiveQueueCaller[],
  ): AmiLiveQueue {
    for (const caller of callers) this.callerQueue.set(caller.Uniqueid, params.Queue);
    this.members += members.length;
    return Object.freeze({
      ...params,
      members: Object.freeze([...members]) as AmiLiveQueueMember[],
      callers: Object.freeze([...callers]) as AmiLiveQueueCaller[],
    });
  }

  private forgetContents(queue: AmiLiveQueue): void {
    this.members -= queue.members.length;
    for (const caller of queue.callers) {
      if (this.callerQueue.get(caller.Uniqueid) === queue.Queue) this.callerQueue.delete(caller.Uniqueid);
    }
  }

  private put(queue: AmiLiveQueue, kind: 'added' | 'changed', cause: AmiEvent | null): void {
    this.byName.set(queue.Queue, queue);
    this.changes.emit('queue', kind, queue.Queue, queue, cause);
  }
}
