/** Items per day by severity: stacked bars over a date range, SVG with a table of the same counts. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { SEVERITIES } from '../../../domain/index.js';
import type { DailyCount } from '../../../store/store.js';

/** Every day from `from` to `to` (YYYY-MM-DD, inclusive), capped at `max` days counted back from `to`. */
export function daysBetween(from: string, to: string, max = 366): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Math.max(Date.parse(`${from}T00:00:00Z`), end - (max - 1) * 86_400_000); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const H = 180;
const TOP = 14;
const LEFT = 34;
const BOTTOM = 22;

export function DailyChart(props: { counts: readonly DailyCount[]; from: string; to: string }) {
  const days = daysBetween(props.from, props.to);
  const byDay = new Map<string, Map<string, number>>();
  for (const c of props.counts) {
    const m = byDay.get(c.day) ?? new Map<string, number>();
    m.set(c.severity, (m.get(c.severity) ?? 0) + c.count);
    byDay.set(c.day, m);
  }
  const totals = days.map((d) => [...(byDay.get(d)?.values() ?? [])].reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const all = totals.reduce((a, b) => a + b, 0);
  const barW = Math.max(3, Math.min(24, Math.floor(720 / days.length)));
  const width = LEFT + days.length * barW + 8;
  const height = TOP + H + BOTTOM;
  const y = (n: number) => TOP + H - (n / max) * H;
  const tickEvery = Math.max(1, Math.ceil(days.length / 8));
  const said = (d: string) => SEVERITIES.map((s) => [s, byDay.get(d)?.get(s) ?? 0] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ');
  return (
    <figure class="chart">
      <div class="chart-scroll">
        <svg class="daily" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="daily-title daily-desc">
          <title id="daily-title">Items per day by severity</title>
          <desc id="daily-desc">{`${all} item${all === 1 ? '' : 's'} from ${props.from} to ${props.to}; the busiest day has ${max}. The table below holds the same counts.`}</desc>
          <line class="axis" x1={LEFT} y1={TOP + H} x2={width - 4} y2={TOP + H} />
          <line class="axis" x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + H} />
          <text class="axis-note" x={LEFT - 4} y={TOP + 4} text-anchor="end">{max}</text>
          <text class="axis-note" x={LEFT - 4} y={TOP + H} text-anchor="end">0</text>
          {days.map((d, i) => {
            let base = 0;
            const x = LEFT + i * barW + 1;
            return (
              <g>
                {totals[i] > 0 ? <title>{`${d}: ${said(d)}`}</title> : null}
                {[...SEVERITIES].reverse().map((s) => {
                  const n = byDay.get(d)?.get(s) ?? 0;
                  if (n === 0) return null;
                  const rect = <rect class={`sev-fill-${s}`} x={x} y={y(base + n)} width={barW - 2} height={y(base) - y(base + n)} />;
                  base += n;
                  return rect;
                })}
                {i % tickEvery === 0 ? <text class="axis-note" x={x} y={TOP + H + 15}>{d.slice(5)}</text> : null}
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption>
        <ul class="legend">
          {SEVERITIES.map((s) => <li><svg width="12" height="12" aria-hidden="true"><rect class={`sev-fill-${s}`} width="12" height="12" /></svg> {s.toLowerCase()}</li>)}
        </ul>
      </figcaption>
      <details>
        <summary>The counts as a table</summary>
        <table class="chart-table">
          <thead><tr><th>Day</th>{SEVERITIES.map((s) => <th class="num">{s.toLowerCase()}</th>)}<th class="num">all</th></tr></thead>
          <tbody>
            {days.filter((_, i) => totals[i] > 0).map((d) => (
              <tr><td class="date">{d}</td>{SEVERITIES.map((s) => <td class="num">{byDay.get(d)?.get(s) ?? 0}</td>)}<td class="num">{totals[days.indexOf(d)]}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
