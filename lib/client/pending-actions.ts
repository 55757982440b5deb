import { AmiActionError, type AmiError, AmiTimeoutError } from '../errors/ami-errors.js';
import type { AmiEvent, AmiMessage, AmiResponse } from '../protocol/ami-message.js';
import { EarliestDeadlineTimer } from './earliest-deadline-timer.js';
import { describeOriginateReason } from './originate-reasons.js';
import { DEFAULT_SENSITIVE_HEADERS, redactHeaders } from './redaction.js';

/** What an action waits for beyond its response. */
export type AwaitedOutcome =
  | { kind: 'response' }
  | { kind: 'list' }
  /** An event with the action's ActionID (Originate's OriginateResponse) decides the outcome. */
  | { kind: 'event'; event: string };

interface PendingAction {
  readonly name: string;
  readonly outcome: AwaitedOutcome;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timeoutMs: number;
  /** performance.now() time after which it fails with AmiTimeoutError. */
  readonly deadline: number;
  response: AmiResponse | null;
  /** Events this action accepted, kept until it settles (list items, an early OriginateResponse). */
  events: AmiEvent[];
}

const WILL_FOLLOW = /will follow/i;
const USER_EVENT = 'UserEvent';

function isListStart(response: AmiResponse): boolean {
  const eventList = response.EventList;
  if (eventList !== undefined) return eventList === 'start';
  const message = response.Message;
  return typeof message === 'string' && WILL_FOLLOW.test(message);
}

function isListEnd(event: AmiEvent): boolean {
  const eventList = event.EventList;
  return eventList === undefined ? event.Event.endsWith('Complete') : eventList === 'Complete';
}

function failureMessage(action: string, message: AmiEvent | AmiResponse): string {
  if (message.Event === 'OriginateResponse')
    return `${action} failed: ${describeOriginateReason(message.Reason)}`;
  const reason = message.Message ?? message.Reason ?? message.Response;
  return `${action} failed: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`;
}

/**
 * Actions sent and not yet settled, by ActionID. Each settles exactly once: resolved by its response
 * (and list or awaited event), rejected by an error response, its timeout, or `rejectAll`.
 */
export class PendingActions {
  /**
   * A null-prototype object rather than a Map: under a steady flow of actions a Map keeps rebuilding
   * its table, and each discarded table, already in the old generation, holds settled entries (with
   * their promises and responses) alive through young collections: about 300 bytes promoted per
   * action, and GC pauses that stalled every action in flight. The object reuses its deleted slots.
   */
  private readonly byId: Record<string, PendingAction> = Object.create(null);
  private count = 0;

  /** `sensitive`: the header names an AmiActionError's `response` redacts. */
  constructor(private readonly sensitive: ReadonlySet<string> = DEFAULT_SENSITIVE_HEADERS) {}

  get size(): number {
    return this.count;
  }

  private readonly deadlines = new EarliestDeadlineTimer(() => this.expireOverdue());

  add(id: string, name: string, outcome: AwaitedOutcome, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const deadline = performance.now() + timeoutMs;
      this.byId[id] = { name, outcome, resolve, reject, timeoutMs, deadline, response: null, events: [] };
      this.count += 1;
      this.deadlines.arm(deadline);
    });
  }

  /** Settles `id` with an error if it is still pending (e.g. its frame could not be written). */
  fail(id: string, error: Error): void {
    const pending = this.byId[id];
    if (pending) this.settle(id, () => pending.reject(error));
  }

  /** Returns false when no pending action has this ActionID (a late answer to a timed-out action). */
  onResponse(id: string, response: AmiResponse): boolean {
    const pending = this.byId[id];
    if (pending === undefined) return false;
    if (response.Response === 'Error') {
      this.settle(id, () => pending.reject(this.actionError(pending.name, response)));
      return true;
    }
    pending.response = response;
    this.trySettle(id, pending);
    return true;
  }

  /** The action still waiting under `id` (`Logoff`, `Ping`...), or undefined. */
  actionName(id: string): string | undefined {
    return this.byId[id]?.name;
  }

  /**
   * Offers an event carrying ActionID `id`; returns whether the action waiting under it took the event as
   * its own: an item or the closing event of a list its response started, or the event it awaits
   * (OriginateResponse). A UserEvent never: Asterisk copies the sending session's ActionID into it.
   */
  onEvent(id: string, event: AmiEvent): boolean {
    const pending = this.byId[id];
    if (pending === undefined || event.Event === USER_EVENT) return false;
    const outcome = pending.outcome;
    if (outcome.kind === 'event') {
      if (event.Event !== outcome.event || pending.events.length > 0) return false;
    } else if (pending.response === null || !isListStart(pending.response)) {
      return false;
    }
    pending.events.push(event);
    this.trySettle(id, pending);
    return true;
  }

  rejectAll(error: (action: string) => AmiError): void {
    for (const [id, pending] of Object.entries(this.byId))
      this.settle(id, () => pending.reject(error(pending.name)));
  }

  private trySettle(id: string, pending: PendingAction): void {
    const response = pending.response;
    if (response === null) return;
    const outcome = pending.outcome;
    if (outcome.kind === 'event') return this.settleByEvent(id, pending, outcome.event);
    if (!isListStart(response)) {
      this.settle(id, () => pending.resolve(outcome.kind === 'list' ? { response, events: [] } : response));
      return;
    }
    const events = pending.events;
    const last = events[events.length - 1];
    if (last === undefined || !isListEnd(last)) return;
    this.settle(id, () =>
      pending.resolve(
        outcome.kind === 'list' ? { response, events: events.slice(0, -1), complete: last } : response,
      ),
    );
  }

  private settleByEvent(id: string, pending: PendingAction, awaited: string): void {
    const decisive = pending.events.find((event) => event.Event === awaited);
    if (decisive === undefined) return;
    if (decisive.Response === 'Success') {
      this.settle(id, () => pending.resolve(decisive));
    } else {
      this.settle(id, () => pending.reject(this.actionError(pending.name, decisive)));
    }
  }

  /** An error travels to reporters and logs, and Asterisk can echo a secret back: its copy is redacted. */
  private actionError(action: string, message: AmiEvent | AmiResponse): AmiActionError {
    const redacted = redactHeaders(message, this.sensitive) as AmiMessage;
    return new AmiActionError(failureMessage(action, message), redacted, action);
  }

  private settle(id: string, outcome: () => void): void {
    delete this.byId[id];
    this.count -= 1;
    if (this.count === 0) this.deadlines.cancel();
    outcome();
  }

  private expireOverdue(): void {
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [id, pending] of Object.entries(this.byId)) {
      if (pending.deadline > now) {
        next = Math.min(next, pending.deadline);
        continue;
      }
      const { name, timeoutMs } = pending;
      this.settle(id, () =>
        pending.reject(new AmiTimeoutError(`${name} got no answer within ${timeoutMs} ms`, name, timeoutMs)),
      );
    }
    this.deadlines.arm(next);
  }
}
