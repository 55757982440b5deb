/** setTimeout's longest delay; a later deadline is checked again when this one passes. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * One unref'd timer for many deadlines (performance.now() times): it fires at the earliest one armed,
 * and the owner arms it again for the next. A timer per action made every action pay for Node's timer
 * lists and async hooks, and gave V8 that much more code to compile while the client warms up.
 */
export class EarliestDeadlineTimer {
  private timer: NodeJS.Timeout | null = null;
  private due = Number.POSITIVE_INFINITY;

  constructor(private readonly onDue: () => void) {}

  /** Makes sure `onDue` runs once `deadline` has passed; an infinite deadline never comes. */
  arm(deadline: number): void {
    if (deadline >= this.due) return;
    this.cancel();
    this.due = deadline;
    const delay = Math.min(Math.max(0, Math.ceil(deadline - performance.now())), MAX_DELAY_MS);
    this.timer = setTimeout(this.fire, delay);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.due = Number.POSITIVE_INFINITY;
  }

  private readonly fire = (): void => {
    this.timer = null;
    this.due = Number.POSITIVE_INFINITY;
    this.onDue();
  };
}
