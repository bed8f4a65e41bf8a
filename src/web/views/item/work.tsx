/** The team's work on the item page: a checklist step's state and form, and the evidence register. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { ChecklistStep, Item } from '../../../domain/index.js';
import type { EvidenceEntry, StepState } from '../../../domain/work.js';
import type { SessionUser } from '../../context.js';
import { CopyValue, CsrfField, when } from './parts.js';

/** Who is looking at the page: analysts and admins get the forms, everyone else the state. */
export interface Viewer {
  readonly user: SessionUser | null;
  readonly csrf: string;
  readonly canEdit: boolean;
}

export const itemPath = (item: Pick<Item, 'id'>) => `/items/${encodeURIComponent(item.id)}`;
export const stepAnchor = (key: string) => `step-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/** One line saying where a step stands; the JSON API returns the same line, so the script shows exactly what a reload would. */
export function stepStatus(state: StepState | null): string {
  if (!state) return 'Not done yet. Unassigned.';
  const done = state.done && state.doneBy && state.doneAt ? `Done by ${state.doneBy} at ${when(state.doneAt)}.` : 'Not done yet.';
  const assigned = state.assignee ? ` Assigned to ${state.assignee}.` : ' Unassigned.';
  return `${done}${assigned} Last change by ${state.updatedBy} at ${when(state.updatedAt)}.`;
}

export function StepWork(props: { item: Item; step: ChecklistStep; state: StepState | null; viewer: Viewer }) {
  const { item, step, state, viewer } = props;
  const path = `/steps/${encodeURIComponent(step.key)}`;
  return (
    <div class={`work${state?.done ? ' done' : ''}`}>
      <p class="step-status" data-step-status aria-live="polite">{stepStatus(state)}</p>
      {viewer.canEdit ? (
        <form method="post" action={`${itemPath(item)}${path}`} data-api={`/api/items/${encodeURIComponent(item.id)}${path}`} class="step-form noprint">
          <CsrfField token={viewer.csrf} />
          <input type="hidden" name="done" value="0" />
          <label class="inline"><input type="checkbox" name="done" value="1" checked={state?.done ?? false} /> Done</label>
          <label>Assignee <input type="text" name="assignee" value={state?.assignee ?? ''} maxlength={100} autocomplete="off" /></label>
          <label>Note <textarea name="note" rows={2} maxlength={4000}>{state?.note ?? ''}</textarea></label>
          <button type="submit">Save step</button>
          <p class="form-error" data-step-error role="alert" hidden></p>
        </form>
      ) : null}
      {state?.note ? <p class={`step-note${viewer.canEdit ? ' print-only' : ''}`}><strong>Note:</strong> {state.note}</p> : null}
    </div>
  );
}

export function EvidenceRegister(props: { item: Item; entries: readonly EvidenceEntry[]; viewer: Viewer }) {
  const { item, entries, viewer } = props;
  return (
    <section id="evidence-register" aria-labelledby="evidence-register-h">
      <h3 id="evidence-register-h">Evidence register</h3>
      {entries.length === 0 ? <p class="muted">No evidence has been registered for this item yet.</p> : (
        <table>
          <thead><tr><th>File</th><th>sha256</th><th>Where stored</th><th>Note</th><th>Added by</th><th>When</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{e.fileName}</td><td class="hash"><CopyValue display={e.sha256} /></td><td>{e.storedAt}</td><td>{e.note ?? ''}</td>
                <td>{e.addedBy}</td><td class="date">{when(e.addedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="noprint"><a href={`${itemPath(item)}/evidence.csv`}>Download the register as CSV</a></p>
      {viewer.canEdit ? (
        <form method="post" action={`${itemPath(item)}/evidence`} class="evidence-form noprint">
          <CsrfField token={viewer.csrf} />
          <label>File name <input type="text" name="fileName" required maxlength={255} /></label>
          <label>sha256 <input type="text" name="sha256" required pattern="[0-9a-fA-F]{64}" maxlength={64} size={66} spellcheck={false} autocomplete="off" /></label>
          <label>Where stored <input type="text" name="storedAt" required maxlength={500} /></label>
          <label>Note <input type="text" name="note" maxlength={2000} /></label>
          <button type="submit">Add to the register</button>
        </form>
      ) : null}
    </section>
  );
}
