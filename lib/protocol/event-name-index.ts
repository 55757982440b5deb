import { EventNameCase } from './event-name-case.js';

/** The name that stands for every event. */
export const ALL_EVENTS = '*';

const NONE: readonly never[] = [];

/**
 * Things (listeners, handlers) kept by AMI event name, matched case-insensitively as Asterisk's names
 * are, with `'*'` for every event. Lists are replaced, never changed in place, so a delivery loop that
 * adds or removes entries goes on over the list it started with.
 */
export class EventNameIndex<T> {
  private readonly byName = new Map<string, readonly T[]>();
  private readonly names = new EventNameCase();
  private everyEvent: readonly T[] = NONE;

  /** Adds `item` under `name` (`'*'`: every event). Returns the function that removes it again. */
  add(name: string, item: T): () => void {
    let removed = false;
    if (name === ALL_EVENTS) {
      this.everyEvent = [...this.everyEvent, item];
      return () => {
        if (removed) return;
        removed = true;
        this.everyEvent = without(this.everyEvent, item);
      };
    }
    const key = name.toLowerCase();
    this.byName.set(key, [...(this.byName.get(key) ?? NONE), item]);
    return () => {
      if (removed) return;
      removed = true;
      const left = without(this.byName.get(key) ?? NONE, item);
      if (left.length === 0) this.byName.delete(key);
      else this.byName.set(key, left);
    };
  }

  /** What was added under this event's name (not under `'*'`). */
  named(eventName: unknown): readonly T[] {
    if (this.byName.size === 0 || typeof eventName !== 'string') return NONE;
    return this.byName.get(this.names.lower(eventName)) ?? NONE;
  }

  /** What was added under `'*'`. */
  get all(): readonly T[] {
    return this.everyEvent;
  }

  /** The names something is kept under (lower-cased), and `'*'` when something is kept under it. */
  get eventNames(): string[] {
    const names = [...this.byName.keys()];
    return this.everyEvent.length > 0 ? [...names, ALL_EVENTS] : names;
  }

  /** Everything added, counted once per add. */
  get size(): number {
    let count = this.everyEvent.length;
    for (const items of this.byName.values()) count += items.length;
    return count;
  }

  get isEmpty(): boolean {
    return this.byName.size === 0 && this.everyEvent.length === 0;
  }
}

/** `items` without one occurrence of `item`: an item added twice stays until both are removed. */
function without<T>(items: readonly T[], item: T): readonly T[] {
  const at = items.indexOf(item);
  if (at === -1) return items;
  return items.length === 1 ? NONE : [...items.slice(0, at), ...items.slice(at + 1)];
}
