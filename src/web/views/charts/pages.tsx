/** The picture pages: /attack (the ATT&CK heatmap) and /dashboard (items per day by severity, source health), each with a GET form for time and sector. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Source } from '../../../domain/index.js';
import type { DailyCount, Facet } from '../../../store/store.js';
import { Layout } from '../layout.js';
import { DailyChart } from './daily.js';
import { AttackHeatmap, type HeatCell } from './heatmap.js';
import { SourceHealthPanel } from './source-health.js';

export type Basis = 'observed' | 'all';

export interface ChartSelection {
  readonly from?: string;
  readonly to?: string;
  readonly sector?: string;
  /** The list query of the same selection, for "these items in the list". */
  readonly listQuery: string;
}

function SelectionForm(props: { action: string; selection: ChartSelection; sectors: readonly Facet[]; basis?: Basis; error?: string }) {
  const s = props.selection;
  return (
    <>
      <form class="filters noprint" method="get" action={props.action}>
        <div class="search-row">
          <label>From <input type="date" name="from" value={s.from ?? ''} /></label>
          <label>To <input type="date" name="to" value={s.to ?? ''} /></label>
          <label>
            Sector
            <select name="sector">
              <option value="">every sector</option>
              {props.sectors.map((f) => <option value={f.value} selected={f.value === s.sector}>{f.label} ({f.count})</option>)}
            </select>
          </label>
          {props.basis ? (
            <label>
              Techniques
              <select name="basis">
                <option value="observed" selected={props.basis === 'observed'}>observed in the reporting</option>
                <option value="all" selected={props.basis === 'all'}>observed and expected of the incident type</option>
              </select>
            </label>
          ) : null}
          <button type="submit">Show</button>
        </div>
      </form>
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
    </>
  );
}

const listLink = (q: string) => (q ? `/?${q}` : '/');

export function AttackPage(props: { cells: readonly HeatCell[]; selection: ChartSelection; sectors: readonly Facet[]; basis: Basis; error?: string }) {
  return (
    <Layout title="ATT&CK heatmap">
      <h1>ATT&amp;CK heatmap</h1>
      <p class="muted">
        Techniques {props.basis === 'observed' ? 'named or described in the reporting' : 'in the reporting, and those expected of each incident type'}, across the items
        {props.selection.from || props.selection.to ? ` dated ${props.selection.from ?? '…'} to ${props.selection.to ?? '…'}` : ''}. <a href={listLink(props.selection.listQuery)}>These items in the list</a>.
      </p>
      <SelectionForm action="/attack" selection={props.selection} sectors={props.sectors} basis={props.basis} error={props.error} />
      {props.error ? null : <AttackHeatmap cells={props.cells} maxRows={20} linkQuery={props.selection.listQuery} />}
    </Layout>
  );
}

export function DashboardPage(props: { counts: readonly DailyCount[]; from: string; to: string; selection: ChartSelection; sectors: readonly Facet[]; sources: readonly Source[]; now: number; error?: string }) {
  return (
    <Layout title="Dashboard">
      <h1>Dashboard</h1>
      <SelectionForm action="/dashboard" selection={props.selection} sectors={props.sectors} error={props.error} />
      <section aria-labelledby="per-day">
        <h2 id="per-day">Items per day by severity</h2>
        <p class="muted">From {props.from} to {props.to}, by each item's latest report. <a href={listLink(props.selection.listQuery)}>These items in the list</a>.</p>
        {props.error ? null : <DailyChart counts={props.counts} from={props.from} to={props.to} />}
      </section>
      <section aria-labelledby="health">
        <h2 id="health">Source health</h2>
        <SourceHealthPanel sources={props.sources} now={props.now} />
      </section>
    </Layout>
  );
}
