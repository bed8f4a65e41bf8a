/** Log-in throttling per account and per client address: failures slow the next answer, and too many in a window lock the key out. */

export interface ThrottleOptions {
  /** Failures in the window after which an account is refused until the window passes. */
  readonly accountLimit?: number;
  /** The same for one client address, across accounts (guessing many names). */
  readonly addressLimit?: number;
  readonly windowMs?: number;
  /** The delay after the first failure; it doubles with each failure, up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

interface Failures {
  count: number;
  first: number;
}

/** Keys kept at most: a flood of made-up names must not grow the map without bound. */
const MAX_KEYS = 10_000;

export class LoginThrottle {
  readonly #failures = new Map<string, Failures>();
  readonly #o: Required<ThrottleOptions>;

  constructor(options: ThrottleOptions = {}) {
    this.#o = { accountLimit: 10, addressLimit: 50, windowMs: 15 * 60_000, baseDelayMs: 250, maxDelayMs: 8_000, ...options };
  }

  #live(key: string, now: number): Failures | null {
    const f = this.#failures.get(key);
    if (f && now - f.first > this.#o.windowMs) {
      this.#failures.delete(key);
      return null;
    }
    return f ?? null;
  }

  /** Seconds until an attempt on this account from this address may be tried again, or 0 when it may be tried now. */
  retryAfter(account: string, address: string, now = Date.now()): number {
    const checks: [string, number][] = [[`a:${account}`, this.#o.accountLimit], [`i:${address}`, this.#o.addressLimit]];
    let wait = 0;
    for (const [key, limit] of checks) {
      const f = this.#live(key, now);
      if (f && f.count >= limit) wait = Math.max(wait, Math.ceil((f.first + this.#o.windowMs - now) / 1000));
    }
    return wait;
  }

  /** Records a failure and returns how long to hold the answer back, in milliseconds. */
  fail(account: string, address: string, now = Date.now()): number {
    let worst = 0;
    for (const key of [`a:${account}`, `i:${address}`]) {
      const f = this.#live(key, now) ?? { count: 0, first: now };
      f.count++;
      this.#failures.delete(key);
      this.#failures.set(key, f);
      worst = Math.max(worst, f.count);
    }
    while (this.#failures.size > MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value as string);
    return Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** (worst - 1));
  }

  /** A successful log-in clears the account's failures (the address keeps its own). */
  succeed(account: string): void {
    this.#failures.delete(`a:${account}`);
  }
}
