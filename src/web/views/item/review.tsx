/** The IOC and ATT&CK tables with the analysts' verdicts: confirmed rows marked, rejected rows shown apart, never silently removed. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Evidence, Ioc, Item, TechniqueRow } from '../../../domain/index.js';
import type { IocVerdict, TechniqueVerdict } from '../../../domain/work.js';
import { CopyValue, CsrfField, EvidenceDetails, MoreRows, when } from './parts.js';
import { itemPath, type Viewer } from './work.js';

function VerdictLine(props: { verdict: { verdict: string; reason: string | null; by: string; at: string; falsePositive?: boolean } | undefined }) {
  const v = props.verdict;
  if (!v) return <span class="muted">not reviewed</span>;
  const what = v.verdict === 'confirmed' ? 'Confirmed' : v.falsePositive ? 'Rejected as a false positive' : 'Rejected';
  return <span class={`verdict verdict-${v.verdict}`}>{what} by {v.by}, {when(v.at)}{v.reason ? `: ${v.reason}` : ''}</span>;
}

/** The confirm / reject buttons, behind one click so the tables stay readable. */
function VerdictForm(props: { action: string; about: string; hidden: Record<string, string>; viewer: Viewer; current: string | undefined; falsePositive?: boolean }) {
  return (
    <details class="review noprint">
      <summary>review<span class="sr-only"> {props.about}</span></summary>
      <form method="post" action={props.action}>
        <CsrfField token={props.viewer.csrf} />
        {Object.entries(props.hidden).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
        <label>Reason <input type="text" name="reason" maxlength={500} /></label>
        <button type="submit" name="verdict" value="confirmed">Confirm</button>
        <button type="submit" name="verdict" value="rejected">Reject</button>
        {props.falsePositive ? <button type="submit" name="verdict" value="false-positive">False positive</button> : null}
        {props.current ? <button type="submit" name="verdict" value="clear">Clear verdict</button> : null}
      </form>
    </details>
  );
}

const iocKey = (i: { type: string; value: string }) => `${i.type} ${i.value}`;

/** An indicator's evidence as a fact's: the sentence it was read in, the rule behind its confidence, the report it came from. */
const iocEvidence = (i: Ioc): Evidence => ({ text: i.context, rule: i.rule, ...(i.documentId ? { documentId: i.documentId } : {}) });

export function IocSection(props: { item: Item; verdicts: readonly IocVerdict[]; viewer: Viewer }) {
  const { item, viewer } = props;
  const byIoc = new Map(props.verdicts.map((v) => [iocKey(v), v]));
  const rejected = item.iocs.filter((i) => byIoc.get(iocKey(i))?.verdict === 'rejected');
  const kept = item.iocs.filter((i) => byIoc.get(iocKey(i))?.verdict !== 'rejected');
  const row = (i: Ioc): Child => {
    const v = byIoc.get(iocKey(i));
    return (
      <tr class={i.benign ? 'benign' : ''}>
        <td>{i.type}</td>
        <td><CopyValue display={i.display} type={i.type} raw={i.display !== i.value} />{i.benign ? <div>kept as a reference, never exported as malicious: {i.benignReason}</div> : null}</td>
        <td>{i.context}</td>
        <td>{i.confidence}<EvidenceDetails item={item} evidence={[iocEvidence(i)]} about={`${i.type} ${i.display}`} /></td>
        <td>
          <VerdictLine verdict={v} />
          {viewer.canEdit ? (
            <VerdictForm action={`${itemPath(item)}/iocs/verdict`} about={i.display} hidden={{ type: i.type, display: i.display }} viewer={viewer} current={v?.verdict} falsePositive />
          ) : null}
        </td>
      </tr>
    );
  };
  const head = <tr><th scope="col">Type</th><th scope="col">Value (defanged)</th><th scope="col">Context</th><th scope="col">Confidence</th><th scope="col">Analyst verdict</th></tr>;
  return (
    <section id="iocs" aria-labelledby="iocs-h">
      <h2 id="iocs-h">8. Indicators of compromise</h2>
      {item.iocs.length === 0 ? <p class="muted">No indicators have been published in the reporting as of {item.asOf}.</p> : (
        <>
          <p class="muted noprint">Values are shown and copied defanged; "Copy raw" gives the live value for your tools.</p>
          {kept.length > 0 ? <MoreRows head={head} rows={kept} render={row} label="indicators" /> : <p class="muted">Every indicator was rejected by an analyst.</p>}
          {rejected.length > 0 ? (
            <>
              <h3>Rejected by analyst</h3>
              <MoreRows head={head} rows={rejected} render={row} label="rejected indicators" class="rejected" />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

export function AttackSection(props: { item: Item; verdicts: readonly TechniqueVerdict[]; viewer: Viewer }) {
  const { item, viewer } = props;
  const byId = new Map(props.verdicts.map((v) => [v.techniqueId, v]));
  const rejected = item.attack.filter((t) => byId.get(t.id)?.verdict === 'rejected');
  const kept = item.attack.filter((t) => byId.get(t.id)?.verdict !== 'rejected');
  const row = (t: TechniqueRow): Child => {
    const v = byId.get(t.id);
    return (
      <tr>
        <td><CopyValue display={t.id} /></td><td>{t.name}</td><td>{t.tactics.map((x) => x.name).join(', ')}</td>
        <td>{t.basis} ({t.confidence})<EvidenceDetails item={item} evidence={t.evidence} about={`${t.id} ${t.name}`} /></td>
        <td>
          <VerdictLine verdict={v} />
          {viewer.canEdit ? (
            <VerdictForm action={`${itemPath(item)}/techniques/${encodeURIComponent(t.id)}/verdict`} about={`${t.id} ${t.name}`} hidden={{}} viewer={viewer} current={v?.verdict} />
          ) : null}
        </td>
      </tr>
    );
  };
  const head = <tr><th scope="col">Technique</th><th scope="col">Name</th><th scope="col">Tactic</th><th scope="col">Basis</th><th scope="col">Analyst verdict</th></tr>;
  return (
    <section id="attack" aria-labelledby="attack-h">
      <h2 id="attack-h">10. MITRE ATT&amp;CK mapping</h2>
      {item.attack.length === 0 ? <p class="muted">No technique applies.</p> : (
        <>
          {kept.length > 0 ? <MoreRows head={head} rows={kept} render={row} label="techniques" /> : <p class="muted">Every technique was rejected by an analyst.</p>}
          {rejected.length > 0 ? (
            <>
              <h3>Rejected by analyst</h3>
              <p class="muted">Kept here, apart from the mapping, so the decision and its reason stay visible.</p>
              <MoreRows head={head} rows={rejected} render={row} label="rejected techniques" class="rejected" />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
