/** The analysts' persistent false-positive list: each value with its reason, who and when, removable by an analyst. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FalsePositive } from '../../domain/work.js';
import { defang } from '../../extract/refang.js';
import { CopyValue, CsrfField, when } from './item/parts.js';
import type { Viewer } from './item/work.js';
import { Layout } from './layout.js';

export function FalsePositivesPage(props: { entries: readonly FalsePositive[]; viewer: Viewer }) {
  const { entries, viewer } = props;
  return (
    <Layout title="False positives">
      <h1>False positives</h1>
      <p class="muted">
        IOC values the analysts rejected as false positives. Every item enriched afterwards keeps such a value but marks it benign,
        with the reason, so it is never exported as malicious. Removing a value affects items enriched after the removal
        (<code>vigil reenrich</code> re-runs them all).
      </p>
      {entries.length === 0 ? <p>The list is empty: reject an IOC as a false positive on an item page to add one.</p> : (
        <table>
          <thead><tr><th scope="col">Type</th><th scope="col">Value (defanged)</th><th scope="col">Reason</th><th scope="col">Added by</th><th scope="col">When</th><th scope="col">Rejected on</th>{viewer.canEdit ? <th scope="col"><span class="sr-only">Remove</span></th> : null}</tr></thead>
          <tbody>
            {entries.map((f) => {
              const display = defang(f.value, f.type);
              return (
                <tr>
                  <td>{f.type}</td><td><CopyValue display={display} type={f.type} raw={display !== f.value} /></td><td>{f.reason}</td><td>{f.addedBy}</td>
                  <td class="date">{when(f.addedAt)}</td>
                  <td>{f.itemId ? <a href={`/items/${encodeURIComponent(f.itemId)}`}><code>{f.itemId}</code></a> : <span class="muted">not recorded</span>}</td>
                  {viewer.canEdit ? (
                    <td>
                      <form method="post" action="/false-positives/remove">
                        <CsrfField token={viewer.csrf} />
                        <input type="hidden" name="type" value={f.type} />
                        <input type="hidden" name="display" value={display} />
                        <button type="submit">Remove<span class="sr-only"> {display}</span></button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
