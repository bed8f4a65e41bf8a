/** What one run of one source did: the counts a health page and a CLI line show, and the errors that did not stop it. */
export interface ReadResult {
  readonly notModified: boolean;
  /** Entries (feeds, folders) or records (KEV, EPSS, NVD, CVE records) the source delivered. */
  readonly entries: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  /** Per-entry problems and parser warnings: the run went on past them. */
  readonly warnings: readonly string[];
  /** CVEs whose KEV, EPSS, NVD or SSVC data changed in meaning: their items are re-scored. */
  readonly cvesChanged: readonly string[];
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  readonly cursor?: string | null;
}

export interface RunReport extends Omit<ReadResult, 'cvesChanged'> {
  readonly source: string;
  readonly status: 'ok' | 'not-modified' | 'error';
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly cvesChanged: number;
  readonly itemsRescored: number;
  readonly nextRunAt: string | null;
}

export class Tally {
  entries = 0;
  inserted = 0;
  updated = 0;
  unchanged = 0;
  failed = 0;
  readonly warnings: string[] = [];
  readonly cvesChanged: string[] = [];

  count(outcome: 'inserted' | 'updated' | 'unchanged'): void {
    this[outcome]++;
  }

  /** Keeps the first problems whole and counts the rest, so one bad feed cannot fill the health record. */
  warn(message: string): void {
    if (this.warnings.length < 20) this.warnings.push(message.slice(0, 500));
    else if (this.warnings.length === 20) this.warnings.push('further warnings not kept');
  }

  fail(what: string, error: unknown): void {
    this.failed++;
    this.warn(`${what}: ${(error as Error).message}`);
  }

  result(extra: Partial<ReadResult> = {}): ReadResult {
    return {
      notModified: false, entries: this.entries, inserted: this.inserted, updated: this.updated, unchanged: this.unchanged,
      failed: this.failed, warnings: this.warnings, cvesChanged: this.cvesChanged, ...extra,
    };
  }
}

export function notModified(etag: string | null, lastModified: string | null): ReadResult {
  return new Tally().result({ notModified: true, etag, lastModified });
}
