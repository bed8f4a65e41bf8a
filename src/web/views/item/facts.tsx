/** The facts read from the reporting, grouped, each with the sentence and rule it came from one click away. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Evidence, Facts, Item } from '../../../domain/index.js';
import { EvidenceDetails, MoreList } from './parts.js';

interface FactLine {
  readonly label: string;
  readonly evidence: Evidence[];
}

/** Facts of one kind as lines; the same fact read twice (two reports) is one line with both pieces of evidence. */
function lines<T extends { evidence: Evidence }>(facts: readonly T[], label: (f: T) => string): FactLine[] {
  const byLabel = new Map<string, FactLine>();
  for (const f of facts) {
    const l = label(f);
    const line = byLabel.get(l) ?? { label: l, evidence: [] };
    line.evidence.push(f.evidence);
    byLabel.set(l, line);
  }
  return [...byLabel.values()];
}

function groups(f: Facts): [string, FactLine[]][] {
  return [
    ['Organisations', lines(f.organisations, (o) => `${o.name} (${o.role})`)],
    ['Products', lines(f.products, (p) => `${p.vendor && !p.name.startsWith(p.vendor) ? `${p.vendor} ` : ''}${p.name}${p.versions.length > 0 ? ` ${p.versions.join(', ')}` : ''}`)],
    ['CVEs', lines(f.cves, (c) => c.id)],
    ['CVSS vectors', lines(f.cvssVectors, (v) => `${v.vector}${v.cve ? ` (${v.cve})` : ''}`)],
    ['Weaknesses', lines([...f.cwes, ...f.weaknesses], (w) => w.id)],
    ['ATT&CK techniques named or described', lines([...f.attackIds, ...f.techniques], (t) => t.id)],
    ['Advisories', lines(f.advisories, (a) => `${a.id} (${a.label})`)],
    ['Threat actors and malware', lines(f.actors, (a) => a.label)],
    ['Data types', lines(f.dataTypes, (d) => d.label)],
    ['Status', lines(f.statuses, (s) => s.label)],
    ['Sectors', lines(f.sectors, (s) => s.label)],
    ['Incident signals', lines(f.signals, (s) => s.label)],
    ['Dates', lines(f.dates, (d) => `${d.kind}: ${d.date}${d.end ? ` to ${d.end}` : ''}${d.approximate ? ' (approximate)' : ''}`)],
    ['Disruption', lines(f.disruption ? [f.disruption] : [], (d) => (d.days === null ? 'disruption reported, length not stated' : `${d.days} days`))],
    ['People affected', lines(f.affectedCount ? [f.affectedCount] : [], (c) => c.value.toLocaleString('en-US'))],
  ];
}

export function FactsWithEvidence({ item }: { item: Item }) {
  const present = groups(item.facts).filter(([, l]) => l.length > 0);
  return (
    <div class="facts-evidence">
      <h3>Facts read from the reporting</h3>
      {present.length === 0 ? <p class="muted">No fact was read from the reporting as of {item.asOf}.</p> : (
        <dl>
          {present.map(([group, l]) => (
            <>
              <dt>{group}</dt>
              <dd>
                <MoreList entries={l} label={group} render={(line) => <li>{line.label} <EvidenceDetails item={item} evidence={line.evidence} about={line.label} /></li>} />
              </dd>
            </>
          ))}
        </dl>
      )}
    </div>
  );
}
