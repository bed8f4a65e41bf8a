/** The audit log page: every analyst action and account change, newest first, with who, when, what, the item and the value before and after. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AuditEntry } from '../../domain/work.js';
import { when } from './item/parts.js';
import { Layout } from './layout.js';

/** A before or after value in one readable line: fields as `name: value`, nothing as an em dash. */
export function auditValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'object') return String(v);
  return Object.entries(v as Record<string, unknown>)
    .filter(([k]) => k !== 'itemId')
    .map(([k, x]) => `${k}: ${x === null ? '—' : typeof x === 'object' ? JSON.stringify(x) : String(x)}`)
    .join('; ');
}

export function AuditPage(props: { entries: readonly AuditEntry[]; itemId: string | null; page: number; more: boolean }) {
  const { entries, itemId, page, more } = props;
  const query = (p: number) => `/audit?${itemId ? `item=${encodeURIComponent(itemId)}&` : ''}page=${p}`;
  return (
    <Layout title="Audit log">
      <h1>Audit log</h1>
      <p class="muted">
        Every analyst action on items, and every change to accounts and API tokens, newest first. The log is append-only.
        {itemId ? <> Showing item <a href={`/items/${encodeURIComponent(itemId)}`}><code>{itemId}</code></a> only; <a href="/audit">show every item</a>.</> : null}
      </p>
      {entries.length === 0 ? <p>No action has been recorded{page > 1 ? ' on this page' : ''}.</p> : (
        <table>
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Item</th><th scope="col">On</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td class="date">{when(e.at)}</td><td>{e.actor}</td><td><code>{e.action}</code></td>
                <td>{e.itemId ? <a href={`/items/${encodeURIComponent(e.itemId)}`}><code>{e.itemId}</code></a> : <span class="muted">none</span>}</td>
                <td>{e.target}</td><td>{auditValue(e.before)}</td><td>{auditValue(e.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page > 1 || more ? (
        <nav class="pager noprint" aria-label="Audit log pages">
          {page > 1 ? <a href={query(page - 1)}>← newer</a> : null}<span>page {page}</span>{more ? <a href={query(page + 1)}>older →</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}
