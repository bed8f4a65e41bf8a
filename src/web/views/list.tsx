/** The news center list: a filter form that works without JavaScript, chips for active filters, sort, pages, read state and saved views. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import { SEVERITIES, TRIAGE_LEVELS } from '../../domain/index.js';
import type { Facet, ListRow, SavedView, SearchResult } from '../../store/store.js';
import { CSRF_FIELD, type SessionUser } from '../context.js';
import { type ListKey, type ListParams, listPairs, queryString } from '../routes/list-params.js';
import { ExampleMark, Layout, SeverityBadge, day } from './layout.js';

export interface ListPageProps {
  readonly params: ListParams;
  readonly result: SearchResult;
  readonly pageSize: number;
  readonly facets: readonly Facet[];
  readonly views: readonly SavedView[];
  readonly user: SessionUser | null;
  readonly csrfToken: string;
  /** The user's previous visit: what changed after it is marked new. */
  readonly since: string | null;
  /** A bad parameter, said in words; the page then lists nothing. */
  readonly error?: string;
}

const href = (pairs: readonly (readonly [string, string])[], page = 1) => {
  const qs = queryString(page > 1 ? [...pairs, ['page', String(page)]] : pairs);
  return qs ? `/?${qs}` : '/';
};

const KEY_LABEL: Record<ListKey, string> = {
  q: 'search', severity: 'severity', triage: 'triage', archetype: 'type', sector: 'sector', vendor: 'vendor', source: 'source',
  technique: 'technique', from: 'from', to: 'to', affects: 'affects us', unread: 'unread', new: 'new since last visit', sort: 'sort',
};

/**
 * What the page draws from the facet counts alone, worked out once per counts (the route keeps them for half a minute): each
 * kind's facets, and the vendor and source datalists as HTML, some 3,000 facets scanned and 360 options rendered otherwise on
 * every request. Nothing in it is the reader's.
 */
interface FacetParts { readonly byKind: ReadonlyMap<string, readonly Facet[]>; readonly datalists: ReturnType<typeof raw> }
const facetParts = new WeakMap<readonly Facet[], FacetParts>();

function partsOf(facets: readonly Facet[]): FacetParts {
  let parts = facetParts.get(facets);
  if (parts) return parts;
  const byKind = new Map<string, Facet[]>();
  for (const f of facets) {
    const list = byKind.get(f.kind);
    if (list) list.push(f);
    else byKind.set(f.kind, [f]);
  }
  const names = (id: string, kind: string) => <datalist id={id}>{(byKind.get(kind) ?? []).slice(0, 300).map((x) => <option value={x.label} />)}</datalist>;
  parts = { byKind, datalists: raw(`${names('vendor-names', 'vendor')}${names('source-names', 'source')}`) };
  facetParts.set(facets, parts);
  return parts;
}

const ofKind = (facets: readonly Facet[], kind: string): readonly Facet[] => partsOf(facets).byKind.get(kind) ?? [];

function facetLabel(facets: readonly Facet[], kind: string, value: string): string {
  return ofKind(facets, kind).find((f) => f.value === value)?.label ?? value;
}

function Chips(props: { params: ListParams; facets: readonly Facet[] }) {
  const pairs = listPairs(props.params);
  const chips = pairs.map((p, i) => ({ p, i })).filter(({ p }) => p[0] !== 'sort');
  if (chips.length === 0) return null;
  return (
    <p class="chips noprint" aria-label="Active filters">
      {chips.map(({ p: [k, v], i }) => {
        const shown = k === 'archetype' || k === 'sector' ? facetLabel(props.facets, k, v) : k === 'unread' || k === 'new' ? 'yes' : v;
        return <a class="chip" href={href(pairs.filter((_, j) => j !== i))} title={`Remove the ${KEY_LABEL[k]} filter`}>{KEY_LABEL[k]}: {shown} <span aria-hidden="true">×</span></a>;
      })}
      <a class="chip-clear" href={props.params.sort === 'date' ? '/?sort=date' : '/'}>clear all</a>
    </p>
  );
}

function Select(props: { name: ListKey; label: string; facets: readonly Facet[]; kind: string; chosen: readonly string[] | undefined }) {
  const options = ofKind(props.facets, props.kind);
  const [first, ...rest] = props.chosen ?? [];
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">any</option>
        {options.map((f) => <option value={f.value} selected={f.value === first}>{f.label} ({f.count})</option>)}
      </select>
      {/* Values chosen through chips or a link beyond the first stay in the query when the form is sent again. */}
      {rest.map((v) => <input type="hidden" name={props.name} value={v} />)}
    </label>
  );
}

function Checks(props: { name: ListKey; legend: string; options: readonly string[]; chosen: readonly string[] | undefined; facets: readonly Facet[] }) {
  return (
    <fieldset class="checks">
      <legend>{props.legend}</legend>
      {props.options.map((o) => {
        const n = ofKind(props.facets, props.name).find((f) => f.value === o)?.count ?? 0;
        return <label><input type="checkbox" name={props.name} value={o} checked={props.chosen?.includes(o) ?? false} /> {o.toLowerCase()} <span class="muted">{n}</span></label>;
      })}
    </fieldset>
  );
}

function FilterForm(props: { params: ListParams; facets: readonly Facet[]; user: SessionUser | null }) {
  const { params: p, facets } = props;
  const f = p.filters;
  const typed = (name: ListKey, label: string, values: readonly string[] | undefined, list?: string) => (
    <label>
      {label}
      <input type="text" name={name} value={values?.[0] ?? ''} list={list} />
      {(values ?? []).slice(1).map((v) => <input type="hidden" name={name} value={v} />)}
    </label>
  );
  return (
    <form class="filters noprint" method="get" action="/" role="search">
      <div class="search-row">
        <label class="grow">
          Search
          <input type="search" name="q" value={p.q ?? ''} placeholder="CVE-2026-1234, evil.com, 203.0.113.7, a vendor, words…" />
        </label>
        <label>
          Sort
          <select name="sort">
            <option value="priority" selected={p.sort === 'priority'}>priority</option>
            <option value="date" selected={p.sort === 'date'}>date</option>
          </select>
        </label>
        <button type="submit">Apply</button>
      </div>
      <details open={listPairs(p).some(([k]) => k !== 'q' && k !== 'sort')}>
        <summary>Filters</summary>
        <div class="filter-grid">
          <Checks name="severity" legend="Severity" options={SEVERITIES} chosen={f.severity} facets={facets} />
          <Checks name="triage" legend="Triage" options={TRIAGE_LEVELS} chosen={f.triage} facets={facets} />
          <Select name="archetype" label="Type" facets={facets} kind="archetype" chosen={f.archetype} />
          <Select name="sector" label="Sector" facets={facets} kind="sector" chosen={f.sector} />
          {typed('vendor', 'Vendor', f.vendor, 'vendor-names')}
          {typed('source', 'Source', f.source, 'source-names')}
          {typed('technique', 'ATT&CK technique', f.technique)}
          <label>From <input type="date" name="from" value={f.from ?? ''} /></label>
          <label>To <input type="date" name="to" value={f.to ?? ''} /></label>
          <label>
            Affects us
            <select name="affects">
              <option value="">either</option>
              <option value="yes" selected={f.affectsUs === true}>yes</option>
              <option value="no" selected={f.affectsUs === false}>no</option>
            </select>
          </label>
          {props.user ? (
            <fieldset class="checks">
              <legend>Reading</legend>
              <label><input type="checkbox" name="unread" value="1" checked={f.unread ?? false} /> unread only</label>
              <label><input type="checkbox" name="new" value="1" checked={f.onlyNew ?? false} /> new since my last visit</label>
            </fieldset>
          ) : null}
        </div>
        {partsOf(facets).datalists}
      </details>
    </form>
  );
}

function SortSwitch(props: { params: ListParams }) {
  const pairs = listPairs({ ...props.params, sort: 'priority' });
  return (
    <p class="sort-switch noprint">
      Sort by{' '}
      {props.params.sort === 'priority' ? <strong>priority</strong> : <a href={href(pairs)}>priority</a>}
      {' · '}
      {props.params.sort === 'date' ? <strong>date</strong> : <a href={href([...pairs, ['sort', 'date']])}>date</a>}
    </p>
  );
}

function Rows(props: { items: readonly ListRow[] }) {
  return (
    <table class="items">
      <thead>
        <tr><th>Priority</th><th>Severity</th><th>Triage</th><th>Item</th><th>Type</th><th>Sector</th><th>Organisation</th><th>Reported</th></tr>
      </thead>
      <tbody>
        {props.items.map((i) => (
          <tr class={i.unread ? 'unread' : undefined}>
            <td class="num">{i.priority.toFixed(3)}</td>
            <td><SeverityBadge level={i.severity} /></td>
            <td>{i.triage}</td>
            <td>
              {i.unread ? <span class="mark-unread">unread</span> : null}
              {i.isNew ? <span class="mark-new">new</span> : null}
              <a href={`/items/${encodeURIComponent(i.id)}`}>{i.title}</a> <ExampleMark example={i.example} />
            </td>
            <td>{i.archetypeLabel}</td>
            <td>{i.sectorLabel ?? <span class="muted">-</span>}</td>
            <td>{i.organisation ?? <span class="muted">not named</span>}</td>
            <td class="date">{day(i.lastUpdated ?? i.firstReported)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** With `more`, the count stopped at `total`: the pager offers the next page but names no last one. */
function Pages(props: { params: ListParams; total: number; more: boolean; pageSize: number }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const page = props.params.page;
  if (pages <= 1 && !props.more) return null;
  const pairs = listPairs(props.params);
  return (
    <nav class="pages noprint" aria-label="Pages">
      {page > 1 ? <a href={href(pairs, 1)}>« first</a> : null}
      {page > 1 ? <a href={href(pairs, page - 1)} rel="prev">‹ previous</a> : null}
      <span>page {page} of {props.more ? `more than ${pages}` : pages}</span>
      {page < pages || props.more ? <a href={href(pairs, page + 1)} rel="next">next ›</a> : null}
      {page < pages && !props.more ? <a href={href(pairs, pages)}>last »</a> : null}
    </nav>
  );
}

function Views(props: { params: ListParams; views: readonly SavedView[]; user: SessionUser | null; csrfToken: string }) {
  if (!props.user) return <p class="muted noprint">Sign in to save views and to see what is unread.</p>;
  const current = queryString(listPairs(props.params));
  return (
    <section class="views noprint" aria-labelledby="views-h">
      <h2 id="views-h">Saved views</h2>
      {props.views.length === 0 ? <p class="muted">None yet: set filters, then save them here.</p> : (
        <ul>
          {props.views.map((v) => (
            <li>
              <a href={v.query ? `/?${v.query}` : '/'}>{v.name}</a>{' '}
              <form class="inline" method="post" action={`/views/${v.id}/delete`}>
                <input type="hidden" name={CSRF_FIELD} value={props.csrfToken} />
                <button type="submit" class="link">remove</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/views">
        <input type="hidden" name={CSRF_FIELD} value={props.csrfToken} />
        <input type="hidden" name="query" value={current} />
        <label>Save this view as <input type="text" name="name" required maxlength={80} /></label> <button type="submit">Save</button>
      </form>
    </section>
  );
}

export function ListPage(props: ListPageProps) {
  const { params, result, pageSize } = props;
  const total = result.total;
  const searching = listPairs(params).some(([k]) => k !== 'sort');
  const more = result.more ?? false;
  const shown = more ? `More than ${total} items${searching ? ' match' : ''}` : `${total} item${total === 1 ? '' : 's'}${searching ? (total === 1 ? ' matches' : ' match') : ''}`;
  const pageItems = result.items;
  return (
    <Layout title="Items">
      <h1>Intelligence items</h1>
      <FilterForm params={params} facets={props.facets} user={props.user} />
      <Chips params={params} facets={props.facets} />
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
      <p class="muted" aria-live="polite">
        {shown}, {params.sort === 'date' ? 'newest first' : 'highest priority first'}.
        {props.user && props.since ? <> Marked new: changed since your last visit ({props.since.slice(0, 16).replace('T', ' ')} UTC).</> : null}
      </p>
      <SortSwitch params={params} />
      {pageItems.length === 0 ? (
        props.error ? null : searching ? <p>Nothing matches. <a href="/">Show every item</a>.</p> : <p>No items yet. Ingest documents with <code>vigil ingest FILE</code>.</p>
      ) : (
        <Rows items={pageItems} />
      )}
      <Pages params={params} total={total} more={more} pageSize={pageSize} />
      {props.user && pageItems.some((i) => i.unread) ? (
        <form class="noprint" method="post" action="/read">
          <input type="hidden" name={CSRF_FIELD} value={props.csrfToken} />
          {pageItems.filter((i) => i.unread).map((i) => <input type="hidden" name="id" value={i.id} />)}
          <input type="hidden" name="return" value={href(listPairs(params), params.page)} />
          <button type="submit">Mark the items on this page read</button>
        </form>
      ) : null}
      <Views params={params} views={props.views} user={props.user} csrfToken={props.csrfToken} />
    </Layout>
  );
}
