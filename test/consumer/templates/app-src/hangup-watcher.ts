import { Injectable } from '@nestjs/common';
import { type AmiEventMeta, type AmiHangupEvent, OnAmiEvent } from 'nestjs-ami';

interface Waiter {
  matches: (event: AmiHangupEvent) => boolean;
  resolve: (event: AmiHangupEvent) => void;
}

/** Receives every Hangup through @OnAmiEvent and hands the awaited ones to whoever waits. */
@Injectable()
export class HangupWatcher {
  readonly seen: AmiHangupEvent[] = [];
  private readonly waiters = new Set<Waiter>();

  @OnAmiEvent('Hangup')
  onHangup(event: AmiHangupEvent, meta: AmiEventMeta): void {
    if (meta.connection !== 'default') return;
    this.seen.push(event);
    for (const waiter of [...this.waiters]) {
      if (!waiter.matches(event)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(event);
    }
  }

  /** The first Hangup (already seen or to come) that matches, or a rejection after `timeoutMs`. */
  next(matches: (event: AmiHangupEvent) => boolean, timeoutMs: number): Promise<AmiHangupEvent> {
    const earlier = this.seen.find(matches);
    if (earlier !== undefined) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching Hangup within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
