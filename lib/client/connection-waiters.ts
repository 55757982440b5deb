import { AmiDisconnectedError } from '../errors/ami-errors.js';

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Callers waiting (bounded) for the next login, for actions sent while disconnected. */
export class ConnectionWaiters {
  private readonly waiters = new Set<Waiter>();

  wait(timeoutMs: number, action: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new AmiDisconnectedError(`${action} not sent: no connection within ${timeoutMs} ms`, action),
          );
        }, timeoutMs),
      };
      waiter.timer.unref();
      this.waiters.add(waiter);
    });
  }

  resolveAll(): void {
    for (const waiter of this.drain()) waiter.resolve();
  }

  rejectAll(error: Error): void {
    for (const waiter of this.drain()) waiter.reject(error);
  }

  private drain(): Waiter[] {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) clearTimeout(waiter.timer);
    return waiters;
  }
}
