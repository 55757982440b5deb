interface Waiter {
  check(): void;
  fail(error: Error): void;
}

/** Promises that resolve once a condition holds, rechecked on `notify()`, each bounded by a timeout. */
export class WaitList {
  private readonly waiters = new Set<Waiter>();
  private closedWith: Error | null = null;

  /** Resolves with `find()`'s first defined value; rejects after `timeout` ms or on `failAll`. */
  waitFor<T>(find: () => T | undefined, timeout: number, what: string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    if (this.closedWith !== null) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        check: () => {
          const value = find();
          if (value === undefined) return;
          finish();
          resolve(value);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new Error(`FakeAmiServer: no ${what} within ${timeout} ms`)),
        timeout,
      );
      this.waiters.add(waiter);
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /** Rejects every wait, now and from now on. */
  failAll(error: Error): void {
    this.closedWith = error;
    for (const waiter of [...this.waiters]) waiter.fail(error);
  }
}
