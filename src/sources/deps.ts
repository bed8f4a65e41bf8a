/** What a source run needs from the outside world, passed in so tests give it a loopback fetcher, a fixed clock and no progress bar. */
import type { Fetcher } from '../fetch/index.js';
import type { PipelineContext } from '../pipeline.js';
import type { Store } from '../store/index.js';
import type { ProgressFactory } from './progress.js';

export interface SourceDeps {
  readonly store: Store;
  readonly fetcher: Fetcher;
  readonly pipeline: PipelineContext;
  readonly progress: ProgressFactory;
  /** Largest local file or fetched document read, in bytes. */
  readonly maxBytes: number;
  readonly nvdApiKey: string | null;
  /** How far back a first NVD run reads modified CVEs. */
  readonly nvdBackfillDays: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
