/** Read marks of opened items, written a few at a time: one write per item page view was a third of its database time. */

/** How long a mark may wait for others; the store writes what waits before it reads read state (see flush). */
const DELAY_MS = 20;
/** Enough marks to write at once without waiting longer. */
const BATCH = 200;

export class ReadMarks {
  readonly #write: (userId: string, itemIds: readonly string[], at: string) => Promise<void>;
  /** Per user: the items opened since the last write and when the last of them was. */
  #pending = new Map<string, { ids: Set<string>; at: string }>();
  #count = 0;
  #timer: NodeJS.Timeout | null = null;
  #written: Promise<void> = Promise.resolve();

  constructor(write: (userId: string, itemIds: readonly string[], at: string) => Promise<void>) {
    this.#write = write;
  }

  mark(userId: string, itemId: string, at: string): void {
    const mine = this.#pending.get(userId);
    if (mine) {
      mine.ids.add(itemId);
      mine.at = at;
    } else this.#pending.set(userId, { ids: new Set([itemId]), at });
    if (++this.#count >= BATCH) void this.flush();
    // Unreferenced: a process ending is not held up by it (its marks of the last moment are then lost, as a power cut loses them).
    else this.#timer ??= setTimeout(() => void this.flush(), DELAY_MS).unref();
  }

  /**
   * Writes every waiting mark (one statement per user), after any write already under way; resolves when they are stored. The
   * store reads read state after this, so a reader's list in this process always shows the items they opened.
   */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#count = 0;
    if (batch.size === 0) return this.#written;
    this.#written = this.#written.then(async () => {
      for (const [userId, { ids, at }] of batch) await this.#write(userId, [...ids], at);
    }).catch((e: unknown) => console.error('read marks:', e));
    return this.#written;
  }
}
