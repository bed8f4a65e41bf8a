/** The ATT&CK heatmap: tactics as columns, each column's techniques as cells shaded by how many items map to them; SVG with a table beside it. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ATTACK_TACTIC_ORDER } from '../../../knowledge/catalogs.js';
import type { Facet } from '../../../store/store.js';
import { attackLabel } from '../../../store/search-index.js';

export interface HeatCell {
  readonly tacticId: string;
  readonly tactic: string;
  readonly technique: string;
  readonly name: string;
  readonly count: number;
}

/** attack-* term counts as cells, in the matrix's tactic order and most items first within a tactic. */
export function heatCells(facets: readonly Facet[]): HeatCell[] {
  const merged = new Map<string, HeatCell>();
  for (const f of facets) {
    const [tacticId, technique] = f.value.split(' ');
    const { tactic, technique: name } = attackLabel(f.label);
    const key = f.value;
    const before = merged.get(key);
    merged.set(key, { tacticId, tactic, technique, name, count: (before?.count ?? 0) + f.count });
  }
  const rank = (t: string) => { const i = (ATTACK_TACTIC_ORDER as readonly string[]).indexOf(t); return i < 0 ? ATTACK_TACTIC_ORDER.length : i; };
  return [...merged.values()].sort((a, b) => rank(a.tacticId) - rank(b.tacticId) || a.tacticId.localeCompare(b.tacticId) || b.count - a.count || a.technique.localeCompare(b.technique));
}

const COL_W = 132;
const ROW_H = 30;
const HEAD_H = 40;
/** Five shades: a cell's count against the busiest cell's. */
const shade = (count: number, max: number) => Math.max(1, Math.ceil((count / max) * 5));

export function AttackHeatmap(props: { cells: readonly HeatCell[]; maxRows: number; linkQuery: string }) {
  const { cells, maxRows } = props;
  if (cells.length === 0) return <p>No item in this selection maps to an ATT&amp;CK technique.</p>;
  const tactics = [...new Set(cells.map((c) => c.tacticId))];
  const columns = tactics.map((t) => cells.filter((c) => c.tacticId === t));
  const rows = Math.min(maxRows, Math.max(...columns.map((c) => c.length)));
  const max = Math.max(...cells.map((c) => c.count));
  const width = tactics.length * COL_W;
  const height = HEAD_H + rows * ROW_H + 4;
  const link = (technique: string) => `/?${props.linkQuery ? `${props.linkQuery}&` : ''}technique=${encodeURIComponent(technique)}`;
  return (
    <figure class="chart">
      <div class="chart-scroll">
        {/* A group, not an image: an image's content is one picture to assistive technology, and these cells are links to reach. */}
        <svg class="heatmap" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-labelledby="heat-title heat-desc">
          <title id="heat-title">ATT&amp;CK techniques by tactic</title>
          <desc id="heat-desc">{`${cells.length} technique cells across ${tactics.length} tactics; the darkest cell has ${max} item${max === 1 ? '' : 's'}. The table below holds the same counts.`}</desc>
          {columns.map((col, x) => (
            <g>
              <text class="axis-label" x={x * COL_W + 4} y={16}>{col[0].tactic}</text>
              <text class="axis-note" x={x * COL_W + 4} y={32}>{`${col.length} technique${col.length === 1 ? '' : 's'}`}</text>
              {col.slice(0, rows).map((c, y) => {
                const level = shade(c.count, max);
                return (
                  <a href={link(c.technique)}>
                    <title>{`${c.technique} ${c.name} (${c.tactic}): ${c.count} item${c.count === 1 ? '' : 's'}`}</title>
                    <rect class={`heat heat-${level}`} x={x * COL_W + 2} y={HEAD_H + y * ROW_H} width={COL_W - 4} height={ROW_H - 3} rx={3} />
                    <text class={level >= 4 ? 'cell-label on-dark' : 'cell-label'} x={x * COL_W + 8} y={HEAD_H + y * ROW_H + 18}>{`${c.technique} · ${c.count}`}</text>
                  </a>
                );
              })}
            </g>
          ))}
        </svg>
      </div>
      <figcaption class="muted">Each cell is a technique under one tactic, shaded by the number of items mapped to it; the darkest holds {max}. A cell leads to those items. {rows < Math.max(...columns.map((c) => c.length)) ? `Columns show their ${rows} busiest techniques; the table has them all.` : ''}</figcaption>
      <details>
        <summary>The counts as a table</summary>
        <table class="chart-table">
          <thead><tr><th>Tactic</th><th>Technique</th><th>Name</th><th class="num">Items</th></tr></thead>
          <tbody>
            {cells.map((c) => (
              <tr><td>{c.tactic}</td><td><a href={link(c.technique)}>{c.technique}</a></td><td>{c.name}</td><td class="num">{c.count}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
