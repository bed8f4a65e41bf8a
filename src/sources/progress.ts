/** How a long source run reports progress: a bar on a terminal, periodic lines elsewhere, nothing in tests. */
export interface Progress {
  /** Sets the total once it is known (NVD says it in its first page). */
  total(n: number): void;
  tick(n?: number): void;
  done(): void;
}

export type ProgressFactory = (label: string, total: number) => Progress;

const SILENT: Progress = Object.freeze({ total: () => {}, tick: () => {}, done: () => {} });
export const NO_PROGRESS: ProgressFactory = () => SILENT;
