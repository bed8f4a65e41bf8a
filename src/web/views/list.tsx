/** The news center list: items by priority with severity, triage, archetype, organisation and date. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { ItemSummary } from '../../store/index.js';
import { ExampleMark, Layout, SeverityBadge, day } from './layout.js';

export function ListPage(props: { items: ItemSummary[]; total: number; page: number; pageSize: number }) {
  const { items, total, page, pageSize } = props;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Layout title="Items">
      <h1>Intelligence items</h1>
      <p class="muted">{total} item{total === 1 ? '' : 's'}, highest priority first.</p>
      {items.length === 0 ? (
        <p>No items yet. Ingest documents with <code>vigil ingest FILE</code>.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Priority</th><th>Severity</th><th>Triage</th><th>Item</th><th>Archetype</th><th>Organisation</th><th>Reported</th></tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr>
                <td class="num">{i.priority.toFixed(3)}</td>
                <td><SeverityBadge level={i.severity} /></td>
                <td>{i.triage}</td>
                <td><a href={`/items/${encodeURIComponent(i.id)}`}>{i.title}</a> <ExampleMark example={i.example} /></td>
                <td>{i.archetypeLabel}</td>
                <td>{i.organisation ?? <span class="muted">not named</span>}</td>
                <td class="date">{day(i.lastUpdated ?? i.firstReported)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <p class="noprint">
          {page > 1 ? <a href={`/?page=${page - 1}`}>← newer</a> : null} page {page} of {pages}{' '}
          {page < pages ? <a href={`/?page=${page + 1}`}>older →</a> : null}
        </p>
      ) : null}
    </Layout>
  );
}
