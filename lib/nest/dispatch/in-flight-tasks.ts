/** The handler runs still going, so shutdown can wait for them (bounded). */
export class InFlightTasks {
  private readonly tasks = new Set<Promise<void>>();

  get size(): number {
    return this.tasks.size;
  }

  track(task: Promise<void>): Promise<void> {
    this.tasks.add(task);
    const forget = () => this.tasks.delete(task);
    task.then(forget, forget);
    return task;
  }

  /** Resolves true once every task has settled, false if `timeoutMs` passed first. */
  async settle(timeoutMs: number): Promise<boolean> {
    if (this.tasks.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([Promise.allSettled([...this.tasks]).then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
