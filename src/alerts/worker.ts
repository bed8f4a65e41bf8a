/** The alert worker `vigil serve` and `vigil worker` run: every tick it sends due alerts and due digests, until stopped. */
import type { Store } from '../store/store.js';
import { type AlertDeps, deliverDue, type DeliveryReport, runDigests } from './deliver.js';

export class AlertWorker {
  readonly #store: Store;
  readonly #deps: AlertDeps;
  readonly #tickMs: number;
  readonly #onReport: (r: DeliveryReport) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #stopped = false;

  constructor(store: Store, deps: AlertDeps, options: { tickMs?: number; onReport?: (r: DeliveryReport) => void } = {}) {
    this.#store = store;
    this.#deps = deps;
    this.#tickMs = options.tickMs ?? 60_000;
    this.#onReport = options.onReport ?? (() => {});
  }

  start(): void {
    this.#stopped = false;
    void this.#loop();
  }

  /** One round: immediate alerts first, then digests. */
  async tick(): Promise<DeliveryReport[]> {
    const reports = [...(await deliverDue(this.#store, this.#deps)), ...(await runDigests(this.#store, this.#deps))];
    for (const r of reports) this.#onReport(r);
    return reports;
  }

  async #loop(): Promise<void> {
    if (this.#stopped) return;
    this.#running = this.tick().catch((e) => {
      process.stderr.write(`vigil: alerts: ${(e as Error).message}\n`);
    });
    await this.#running;
    this.#running = null;
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#loop(), this.#tickMs);
  }

  /** Stops after the round in progress ends. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
