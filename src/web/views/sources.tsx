/** The sources page: every feed and catalog Vigil reads, with its health (last success, last error, entries seen, next run). */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Source } from '../../domain/index.js';
import { Layout } from './layout.js';

function state(s: Source): string {
  if (!s.enabled) return 'disabled';
  if (s.health.lastErrorCode) return `failing (${s.health.failures} in a row)`;
  return s.health.lastSuccessAt ? 'ok' : 'not run yet';
}

export function SourcesPage(props: { sources: Source[] }) {
  return (
    <Layout title="Sources">
      <h1>Sources</h1>
      <p class="muted">{props.sources.length} source{props.sources.length === 1 ? '' : 's'}. Manage them with <code>vigil sources</code>.</p>
      {props.sources.length === 0 ? (
        <p>No sources yet. Add one with <code>vigil sources add URL</code>, or the defaults with <code>vigil sources add --defaults</code>.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Source</th><th>Kind</th><th>State</th><th>Last success</th><th>Entries</th><th>Next run</th><th>Last error</th></tr>
          </thead>
          <tbody>
            {props.sources.map((s) => (
              <tr>
                <td>{s.title ?? s.name}<br /><span class="muted">{s.location}</span></td>
                <td>{s.kind}</td>
                <td>{state(s)}</td>
                <td class="date">{s.health.lastSuccessAt ?? '-'}</td>
                <td class="num">{s.health.entriesSeen}</td>
                <td class="date">{s.enabled ? (s.health.nextRunAt ?? 'due') : '-'}</td>
                <td>{s.health.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
