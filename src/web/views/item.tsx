/** The item page: the eleven sections of ITEM.md, in order, with the team's work on it; every value goes through JSX escaping. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { FORMATS } from '../../export/formats.js';
import type { Item } from '../../domain/index.js';
import type { ItemWork } from '../../domain/work.js';
import { ExampleMark, Layout, SeverityBadge, day } from './layout.js';
import { FactsWithEvidence } from './item/facts.js';
import { CopyValue, MoreList } from './item/parts.js';
import { AttackSection, IocSection } from './item/review.js';
import { EvidenceRegister, StepWork, stepAnchor, type Viewer } from './item/work.js';

const NO_WORK: ItemWork = { steps: [], evidence: [], techniques: [], iocs: [] };
const READER: Viewer = { user: null, csrf: '', canEdit: false };

function Header({ item }: { item: Item }) {
  const cvss = item.cvss;
  return (
    <section id="header" aria-labelledby="item-title">
      <p class="noprint"><a href="/">← all items</a></p>
      <nav class="noprint exports" aria-label="Export this item">
        Export:{' '}
        {FORMATS.filter((f) => f.name !== 'blocklist').map((f) => (
          <>
            <a href={`/api/items/${encodeURIComponent(item.id)}/export/${f.name}`} title={f.description} download={`${item.id}.${f.extension}`}>{f.name}</a>{' '}
          </>
        ))}
      </nav>
      <h1 id="item-title">{item.title} <ExampleMark example={item.example} /></h1>
      <dl class="facts">
        <dt>Severity</dt><dd><SeverityBadge level={item.severity.level} /> <span class="muted">{item.severity.reason}</span></dd>
        <dt>CVSS</dt>
        <dd>
          {cvss.kind === 'computed'
            ? <><strong>{cvss.baseScore.toFixed(1)}</strong> (CVSS {cvss.version}, computed from <CopyValue display={cvss.vector} />{cvss.cve ? ` for ${cvss.cve}` : ''})</>
            : <><strong>{cvss.baseScore.toFixed(1)}</strong> <em>estimated</em>: {cvss.reason}</>}
        </dd>
        <dt>EPSS / KEV</dt>
        <dd>
          {item.vulnerabilities.length === 0 ? <span class="muted">No CVE is cited, so EPSS and KEV do not apply.</span> : (
            <ul>
              {item.vulnerabilities.map((v) => (
                <li>
                  <CopyValue display={v.cve} />:{' '}
                  {v.epss ? `EPSS ${v.epss.probability.toFixed(3)} (percentile ${v.epss.percentile.toFixed(3)}, ${v.epss.date}); ` : ''}
                  {v.kev ? `in CISA KEV since ${v.kev.dateAdded}${v.kev.dueDate ? `, due ${v.kev.dueDate}` : ''}${v.kev.knownRansomwareUse ? ', known ransomware use' : ''}; ` : ''}
                  <span class="muted">{v.note}</span>
                  {v.ssvc ? (
                    <details class="ssvc">
                      <summary>SSVC <strong>{v.ssvc.decision}</strong> <span class="muted">({v.ssvc.basis === 'vulnrichment' ? "CISA's Vulnrichment points" : 'points derived by Vigil'})</span></summary>
                      <p>{v.ssvc.meaning}</p>
                      <ul>{v.ssvc.reasons.map((r) => <li>{r}</li>)}</ul>
                    </details>
                  ) : null}
                  {v.vectors.length > 1 ? (
                    <details class="vectors">
                      <summary>{v.vectors.length} CVSS vectors by publisher</summary>
                      <ul>{v.vectors.map((x) => <li>{x.baseScore.toFixed(1)} {x.severity} <span class="muted">CVSS {x.version}, {x.source}</span> <CopyValue display={x.vector} /></li>)}</ul>
                    </details>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Priority</dt>
        <dd>
          <strong class="num">{item.priority.value.toFixed(3)}</strong>
          <details>
            <summary>why</summary>
            <table>
              <thead><tr><th>Factor</th><th>Weight</th><th>Value</th><th>Contribution</th><th>Reason</th></tr></thead>
              <tbody>
                {item.priority.factors.map((f) => (
                  <tr><td>{f.label}</td><td class="num">{f.weight.toFixed(2)}</td><td class="num">{f.value.toFixed(3)}</td><td class="num">{f.contribution.toFixed(3)}</td><td>{f.reason}</td></tr>
                ))}
              </tbody>
            </table>
          </details>
        </dd>
        <dt>Archetype</dt><dd>{item.archetype.label}{item.sector ? ` · sector: ${item.sector.label}` : ''}</dd>
        <dt>First reported</dt><dd>{day(item.firstReported)}</dd>
        <dt>Last updated</dt><dd>{day(item.lastUpdated)}</dd>
        <dt>Analysis as of</dt><dd>{item.asOf}</dd>
      </dl>
      <h2 class="sub">Sources</h2>
      <MoreList entries={item.sources} label="sources" render={(s) => (
        <li>{s.outlet}: {s.url ? <a href={s.url} rel="noopener noreferrer nofollow">{s.title}</a> : s.title} <span class="muted">{s.published ?? 'publication time unknown'}</span></li>
      )} />
      {item.facts.advisories.length > 0 ? (
        <p><strong>Advisories cited:</strong> {item.facts.advisories.map((a) => `${a.id} (${a.label})`).join('; ')}</p>
      ) : null}
      {item.timeline.length > 1 ? (
        <>
          <h2 class="sub">Timeline</h2>
          <ol class="timeline">
            {item.timeline.map((e) => (
              <li><span class="date">{e.at.slice(0, 16).replace('T', ' ')}</span> {e.kind}{e.outlet ? ` · ${e.outlet}` : ''}{e.title ? `: ${e.title}` : ''} <span class="muted">{e.note}</span></li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

function Checklist({ item, work, viewer }: { item: Item; work: ItemWork; viewer: Viewer }) {
  const t = item.triage;
  const states = new Map(work.steps.map((s) => [s.stepKey, s]));
  return (
    <section id="checklist" aria-labelledby="checklist-h">
      <h2 id="checklist-h">4. Action checklist</h2>
      <p><strong>Triage priority: {t.level}</strong>. <span class="muted">{t.rationale}</span></p>
      <h3>Escalation criteria</h3>
      {t.escalation.length === 0 ? <p class="muted">No escalation criteria apply.</p> : (
        <ul>{t.escalation.map((e) => <li>{e.condition} <span class="muted">Notify: {e.notify.join(', ')}.</span></li>)}</ul>
      )}
      <h3>Regulatory deadlines</h3>
      {t.deadlines.length === 0 ? <p class="muted">No regulatory clock is triggered by the facts and your profile as of {item.asOf}.</p> : (
        <table>
          <thead><tr><th>Regime</th><th>Due</th><th>Citation</th><th>Trigger</th></tr></thead>
          <tbody>{t.deadlines.map((d) => <tr><td>{d.regime}</td><td><strong>{d.due}</strong></td><td>{d.citation}</td><td>{d.trigger} <span class="muted">{d.note}</span></td></tr>)}</tbody>
        </table>
      )}
      {item.checklist.length === 0 ? <p>No action checklist: this document describes no security event.</p> : item.checklist.map((s, i) => (
        <div class={`step${states.get(s.key)?.done ? ' step-done' : ''}`} id={stepAnchor(s.key)}>
          <h3>{i + 1}. {s.phaseLabel}: {s.title}</h3>
          <p>{s.action}</p>
          <p class="refs">
            <strong>Framework:</strong> {s.sp80061r3}; CSF 2.0 {s.csf.map((c) => c.id).join(', ')}
          </p>
          <p class="refs"><strong>NIST SP 800-53r5:</strong> {s.controls.map((c) => `${c.id} ${c.title}`).join('; ')}</p>
          <p class="refs"><strong>CIS Controls v8:</strong> {s.cis.map((c) => `${c.id} ${c.title}`).join('; ')}</p>
          {s.shown === 'standard' ? (
            <><h4>Standard control ({s.tool})</h4><p>{s.standard}</p></>
          ) : (
            <>
              <h4>Compensating control{s.tool ? ` (without ${s.tool})` : ''}</h4>
              <pre>{s.compensating}</pre>
              {s.compensatingControls.map((c) => (
                <details><summary>{c.stackLabel}: {c.title} ({c.language})</summary><pre>{c.body}</pre></details>
              ))}
            </>
          )}
          <h4>Preserve evidence</h4>
          <ul>{s.preserveEvidence.map((p) => <li>{p}</li>)}</ul>
          <StepWork item={item} step={s} state={states.get(s.key) ?? null} viewer={viewer} />
        </div>
      ))}
      {item.checklist.length > 0 || work.evidence.length > 0 ? <EvidenceRegister item={item} entries={work.evidence} viewer={viewer} /> : null}
    </section>
  );
}

export function ItemPage({ item, work = NO_WORK, viewer = READER }: { item: Item; work?: ItemWork; viewer?: Viewer }) {
  return (
    <Layout title={item.title}>
      <ItemMain item={item} work={work} viewer={viewer} />
    </Layout>
  );
}

/** The page inside its frame: a function of the item, the team's work and the viewer's rights and CSRF token alone (never the user), so it can be kept rendered. */
export function ItemMain({ item, work, viewer }: { item: Item; work: ItemWork; viewer: Viewer }) {
  return (
    <>
      <Header item={item} />
      <section id="summary" aria-labelledby="summary-h">
        <h2 id="summary-h">2. Executive summary</h2>
        <p>{item.summary.join(' ')}</p>
      </section>
      <section id="analysis" aria-labelledby="analysis-h">
        <h2 id="analysis-h">3. Technical analysis</h2>
        <ul>
          {item.analysis.map((a) => (
            <li><strong>{a.topic}</strong> <span class="muted">[{a.status}{a.asOf ? `, as of ${a.asOf}` : ''}]</span>: {a.statement}</li>
          ))}
        </ul>
        <FactsWithEvidence item={item} />
      </section>
      <Checklist item={item} work={work} viewer={viewer} />
      <section id="recovery" aria-labelledby="recovery-h">
        <h2 id="recovery-h">5. Recovery guidance</h2>
        {item.recovery.map((r) => <p>{r}</p>)}
      </section>
      <section id="artifacts" aria-labelledby="artifacts-h">
        <h2 id="artifacts-h">6. Key forensic artifacts</h2>
        {item.artifacts.length === 0 ? <p class="muted">None: no security event is described.</p> : (
          <table>
            <thead><tr><th>Artifact</th><th>Where</th><th>Window</th><th>Indicates compromise</th></tr></thead>
            <tbody>{item.artifacts.map((a) => <tr><td>{a.artifact}</td><td>{a.location}</td><td>{a.window}</td><td>{a.indicates}</td></tr>)}</tbody>
          </table>
        )}
      </section>
      <section id="detection" aria-labelledby="detection-h">
        <h2 id="detection-h">7. Detection guidance</h2>
        <p>{item.detection.statement}</p>
        {item.detection.focus.length > 0 ? (
          <ul>{item.detection.focus.map((f) => (
            <li>
              <strong>{f.technique}</strong>: {f.text} <span class="muted">Log sources: {f.logSources.join(', ')}.</span>
              {f.artifacts.length > 0 ? <span class="muted"> Artifacts: {f.artifacts.join('; ')}.</span> : null}
              {f.strategies.length > 0 ? <span class="muted"> ATT&CK detection strategies: {f.strategies.map((x) => `${x.id} ${x.title}`).join('; ')}.</span> : null}
              {f.dataComponents.length > 0 ? <span class="muted"> Data components: {f.dataComponents.map((x) => `${x.id} ${x.title}`).join('; ')}.</span> : null}
            </li>
          ))}</ul>
        ) : null}
        {item.detection.content.map((c) => (
          <details><summary>{c.title} ({c.language})</summary><pre>{c.body}</pre></details>
        ))}
        <p><strong>Confidence:</strong> {item.detection.confidence}</p>
      </section>
      <IocSection item={item} verdicts={work.iocs} viewer={viewer} />
      <section id="mappings" aria-labelledby="mappings-h">
        <h2 id="mappings-h">9. Compliance framework mappings</h2>        {item.mappings.length === 0 ? <p class="muted">No framework applies: no technique, control or regulated data is involved.</p> : null}
        {item.mappings.map((g) => (
          <>
            <h3>{g.framework}</h3>
            <MoreList entries={g.entries} label={g.framework} render={(e) => (
              <li>
                <code>{e.id}</code> {e.title} <span class="muted">({e.why})</span>
                {e.source ? <span class="provenance"> <small>source: {e.source}{e.mappingType ? `, mapping type ${e.mappingType}` : ''}</small></span> : null}
              </li>
            )} />
          </>
        ))}
      </section>
      <AttackSection item={item} verdicts={work.techniques} viewer={viewer} />
      <section id="disclaimer" aria-labelledby="disclaimer-h">
        <h2 id="disclaimer-h">11. Guidance disclaimer</h2>
        <p class="disclaimer">{item.disclaimer}</p>
      </section>
    </>
  );
}
