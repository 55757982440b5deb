import type { AmiAction } from '../../protocol/action-serializer.js';
import type { AmiEvent } from '../../protocol/ami-message.js';
import { ALL_EVENTS, EventNameIndex } from '../../protocol/event-name-index.js';
import type { AmiLogSink } from '../ami-logger.js';
import type { AmiEventFilterOptions } from './event-filter.types.js';
import { actionIdFilter, checkEventName, eventNameFilter } from './filter-actions.js';
import { AmiInvalidEventFilterError } from './filter-errors.js';

/** The names one session is filtered on: the Filter actions for Asterisk, and the same test done here. */
export class EventFilterSet {
  private readonly index = new EventNameIndex<true>();

  constructor(readonly names: readonly string[]) {
    for (const name of names) this.index.add(name, true);
  }

  /** Whether an event (not answering one of our actions) may reach the listeners. */
  admits(event: AmiEvent): boolean {
    return this.index.named(event.Event).length > 0;
  }

  /** One Filter per name, and the one that keeps the client's own actions' events coming. */
  actions(actionIdStem: string): AmiAction[] {
    return [...this.names.map(eventNameFilter), actionIdFilter(actionIdStem)];
  }
}

/**
 * The client's `eventFilter` option, checked: a list is validated now (a bad name is an
 * AmiInvalidEventFilterError from the constructor, before any socket opens); a function is called at
 * each login, and a bad answer then leaves that session unfiltered with a warning (a login is no place
 * to throw).
 */
export class EventFilterSource {
  private readonly fixed: EventFilterSet | null | undefined;
  private warnedInvalid = false;

  constructor(
    private readonly option: AmiEventFilterOptions,
    private readonly log: AmiLogSink,
  ) {
    const include: unknown = option?.include;
    if (typeof include === 'function') return;
    if (!Array.isArray(include)) {
      throw new AmiInvalidEventFilterError(
        `eventFilter.include must be a list of event names or a function returning one, not ${JSON.stringify(include)}`,
      );
    }
    this.fixed = toSet(include);
  }

  /** What this login installs; null: no filter (the list has `'*'`). */
  atLogin(): EventFilterSet | null {
    if (this.fixed !== undefined) return this.fixed;
    try {
      const names = (this.option.include as () => readonly string[])();
      if (!Array.isArray(names))
        throw new AmiInvalidEventFilterError('eventFilter.include() must return a list');
      return toSet(names);
    } catch (error) {
      if (!this.warnedInvalid) {
        this.warnedInvalid = true;
        this.log.warn(`AMI: no event filter installed: ${(error as Error).message}`);
      }
      return null;
    }
  }
}

function toSet(names: readonly unknown[]): EventFilterSet | null {
  if (names.includes(ALL_EVENTS)) return null;
  const unique = new Map<string, string>();
  for (const name of names) unique.set(checkEventName(name).toLowerCase(), name as string);
  return new EventFilterSet([...unique.values()]);
}
