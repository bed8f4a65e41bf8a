/** The source health panel: one row per source with its state, the entries its last run saw and how long ago it last succeeded. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Source } from '../../../domain/index.js';

export type HealthState = 'ok' | 'failing' | 'never' | 'disabled';

export function healthState(s: Source): HealthState {
  if (!s.enabled) return 'disabled';
  if (s.health.lastErrorCode) return 'failing';
  return s.health.lastSuccessAt ? 'ok' : 'never';
}

const STATE_TEXT: Record<HealthState, string> = { ok: 'ok', failing: 'failing', never: 'not run yet', disabled: 'disabled' };

/** "3 h ago", "2 d ago": coarse on purpose, the exact times are in the table. */
export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

const ROW = 24;
const NAME_W = 230;
const BAR_W = 220;

export function SourceHealthPanel(props: { sources: readonly Source[]; now: number }) {
  const { sources, now } = props;
  if (sources.length === 0) return <p>No sources yet. Add one with <code>vigil sources add URL</code>.</p>;
  const counts = (['ok', 'failing', 'never', 'disabled'] as const).map((s) => [s, sources.filter((x) => healthState(x) === s).length] as const);
  const max = Math.max(1, ...sources.map((s) => s.health.entriesSeen));
  const width = NAME_W + BAR_W + 260;
  const height = sources.length * ROW + 6;
  return (
    <figure class="chart">
      <div class="chart-scroll">
        <svg class="health" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="health-title health-desc">
          <title id="health-title">Source health</title>
          <desc id="health-desc">{counts.filter(([, n]) => n > 0).map(([s, n]) => `${n} ${STATE_TEXT[s]}`).join(', ')}. Each bar is the entries a source's last successful run saw. The table below says the same.</desc>
          {sources.map((s, i) => {
            const state = healthState(s);
            const y = i * ROW + 4;
            const w = Math.max(s.health.entriesSeen > 0 ? 2 : 0, (s.health.entriesSeen / max) * BAR_W);
            return (
              <g>
                <title>{`${s.title ?? s.name}: ${STATE_TEXT[state]}${s.health.lastErrorCode ? ` (${s.health.lastErrorCode}, ${s.health.failures} in a row)` : ''}; last success ${ago(s.health.lastSuccessAt, now)}`}</title>
                <circle class={`health-${state}`} cx={8} cy={y + 9} r={6} />
                <text class="cell-label" x={20} y={y + 13}>{(s.title ?? s.name).slice(0, 30)}</text>
                <rect class="bar-track" x={NAME_W} y={y + 2} width={BAR_W} height={14} rx={2} />
                <rect class={`bar health-${state}`} x={NAME_W} y={y + 2} width={w} height={14} rx={2} />
                <text class="axis-note" x={NAME_W + BAR_W + 8} y={y + 13}>{`${s.health.entriesSeen} entries · ok ${ago(s.health.lastSuccessAt, now)}${s.health.lastErrorCode ? ` · ${s.health.lastErrorCode}` : ''}`}</text>
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption class="muted">{counts.map(([s, n]) => `${n} ${STATE_TEXT[s]}`).join(' · ')}. <a href="/sources">Every source in detail</a>.</figcaption>
      <details>
        <summary>The same as a table</summary>
        <table class="chart-table">
          <thead><tr><th>Source</th><th>State</th><th class="num">Entries</th><th>Last success</th><th>Last error</th><th class="num">Failures in a row</th></tr></thead>
          <tbody>
            {sources.map((s) => (
              <tr>
                <td>{s.title ?? s.name}</td><td>{STATE_TEXT[healthState(s)]}</td><td class="num">{s.health.entriesSeen}</td>
                <td class="date">{s.health.lastSuccessAt ?? 'never'}</td><td>{s.health.lastErrorCode ?? ''}</td><td class="num">{s.health.failures}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
