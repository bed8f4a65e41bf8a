/** Progress for long source runs: a bar on a terminal, a line every few seconds otherwise (CI logs, cron mail). */
import cliProgress from 'cli-progress';
import type { Progress, ProgressFactory } from '../sources/progress.js';

// Small runs finish before a bar would be read; they print their one summary line only.
const MIN_TOTAL = 50;

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressFactory {
  return (label: string, total: number): Progress => {
    let bar: cliProgress.SingleBar | null = null;
    const open = (n: number) => {
      if (bar || n < MIN_TOTAL) return;
      bar = new cliProgress.SingleBar({
        stream, format: `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted} left`, noTTYOutput: !stream.isTTY,
        notTTYSchedule: 5000, etaBuffer: 50, hideCursor: false,
      }, cliProgress.Presets.shades_classic);
      bar.start(n, 0);
    };
    open(total);
    return {
      total: (n) => { if (bar) bar.setTotal(n); else open(n); },
      tick: (n = 1) => bar?.increment(n),
      done: () => { bar?.stop(); bar = null; },
    };
  };
}
