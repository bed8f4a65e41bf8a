/** Per-host politeness: at most N requests in flight to one host and a minimum gap between their starts; other hosts are not held up. */
import { setTimeout as sleepFor } from 'node:timers/promises';

export interface HostQueueOptions {
  readonly concurrency: number;
  readonly delayMs: number;
}

export interface HostQueueClock {
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Waiter {
  readonly start: () => void;
}

interface HostState {
  active: number;
  lastStart: number;
  sleeping: boolean;
  readonly waiting: Waiter[];
}

export class HostQueue {
  private readonly hosts = new Map<string, HostState>();
  private readonly concurrency: number;
  private readonly delayMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: HostQueueOptions, clock: HostQueueClock = {}) {
    if (!(options.concurrency >= 1)) throw new RangeError(`host queue: concurrency must be at least 1, not ${options.concurrency}`);
    if (!(options.delayMs >= 0)) throw new RangeError(`host queue: delayMs must be 0 or more, not ${options.delayMs}`);
    this.concurrency = Math.floor(options.concurrency);
    this.delayMs = options.delayMs;
    this.now = clock.now ?? Date.now;
    this.sleep = clock.sleep ?? ((ms) => sleepFor(ms));
  }

  /** Runs task when the host has room; a signal aborted while waiting takes the task out of the line unrun. */
  run<T>(host: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.prune();
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, lastStart: -Infinity, sleeping: false, waiting: [] };
      this.hosts.set(host, state);
    }
    const s = state;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const i = s.waiting.indexOf(waiter);
        if (i >= 0) s.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          // Called here and now, so a task begins at the moment its start is counted.
          let running: Promise<T>;
          try {
            running = task();
          } catch (err) {
            running = Promise.reject(err);
          }
          running.then(resolve, reject).finally(() => {
            s.active--;
            this.pump(s);
          });
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      s.waiting.push(waiter);
      this.pump(s);
    });
  }

  /** Requests in flight and waiting for one host, for tests and status pages. */
  stats(host: string): { active: number; waiting: number } {
    const s = this.hosts.get(host);
    return { active: s?.active ?? 0, waiting: s?.waiting.length ?? 0 };
  }

  private pump(s: HostState): void {
    while (s.active < this.concurrency && s.waiting.length > 0 && !s.sleeping) {
      const wait = s.lastStart + this.delayMs - this.now();
      if (wait > 0) {
        s.sleeping = true;
        void this.sleep(wait).then(() => {
          s.sleeping = false;
          this.pump(s);
        });
        return;
      }
      const next = s.waiting.shift() as Waiter;
      s.active++;
      s.lastStart = this.now();
      next.start();
    }
  }

  // Idle hosts whose gap has passed carry no information; dropping them keeps the map as small as the live set.
  private prune(): void {
    const now = this.now();
    for (const [host, s] of this.hosts) {
      if (s.active === 0 && s.waiting.length === 0 && !s.sleeping && now - s.lastStart >= this.delayMs) this.hosts.delete(host);
    }
  }
}
