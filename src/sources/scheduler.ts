/** The schedule: runs due sources a few at a time, each claimed with a lease so several worker processes never run one source twice. */
import type { Source } from '../domain/index.js';
import type { SourceDeps } from './deps.js';
import type { RunReport } from './run-report.js';
import { runSource } from './run-source.js';

export interface ScheduleOptions {
  /** Sources run at once; hosts are also throttled one by one in the fetcher. */
  readonly concurrency: number;
  /** How long a claim holds: a worker that dies mid-run frees its source after this. */
  readonly leaseMinutes: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = { concurrency: 4, leaseMinutes: 30 };

export function isDue(source: Source, now: Date): boolean {
  return source.enabled && (source.health.nextRunAt === null || Date.parse(source.health.nextRunAt) <= now.getTime());
}

/** Runs the given sources; one failing, slow or hung source never holds up the others beyond its own slot. */
export async function runSources(sources: readonly Source[], deps: SourceDeps, options: ScheduleOptions = DEFAULT_SCHEDULE,
  onReport: (r: RunReport) => void = () => {}): Promise<RunReport[]> {
  const queue = [...sources];
  const reports: RunReport[] = [];
  const worker = async () => {
    for (let source = queue.shift(); source; source = queue.shift()) {
      const now = deps.pipeline.now();
      const lease = new Date(now.getTime() + options.leaseMinutes * 60_000).toISOString();
      if (!(await deps.store.claimSource(source.name, now.toISOString(), lease))) continue;
      try {
        const report = await runSource(source, deps);
        reports.push(report);
        onReport(report);
      } finally {
        await deps.store.releaseSource(source.name);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, queue.length)) }, worker));
  return reports.sort((a, b) => a.source.localeCompare(b.source));
}

/** Runs every due source now. */
export async function runDue(deps: SourceDeps, options?: ScheduleOptions, onReport?: (r: RunReport) => void): Promise<RunReport[]> {
  const now = deps.pipeline.now();
  return runSources((await deps.store.listSources()).filter((s) => isDue(s, now)), deps, options, onReport);
}

/** The in-process schedule `vigil serve` runs: checks for due sources every tick until stopped. */
export class Scheduler {
  readonly #deps: SourceDeps;
  readonly #options: ScheduleOptions;
  readonly #tickMs: number;
  readonly #onReport: (r: RunReport) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #stopped = false;

  constructor(deps: SourceDeps, options: { tickMs?: number; onReport?: (r: RunReport) => void } & Partial<ScheduleOptions> = {}) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_SCHEDULE, ...options };
    this.#tickMs = options.tickMs ?? 60_000;
    this.#onReport = options.onReport ?? (() => {});
  }

  start(): void {
    this.#stopped = false;
    void this.#tick();
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    this.#running = runDue(this.#deps, this.#options, this.#onReport).catch((e) => {
      process.stderr.write(`vigil: schedule: ${(e as Error).message}\n`);
    });
    await this.#running;
    this.#running = null;
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#tick(), this.#tickMs);
  }

  /** Stops after the runs in progress end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
