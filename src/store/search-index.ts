/** What the list's search and filters read of an item: its searchable text and its filter terms (severity, vendor, outlet...). */
import type { Item } from '../domain/index.js';
import { affectsUsFactor } from '../score/affects-us.js';

export const TERM_KINDS = ['severity', 'triage', 'archetype', 'sector', 'vendor', 'source', 'affects', 'technique', 'attack-observed', 'attack-consistent'] as const;
export type TermKind = (typeof TERM_KINDS)[number];

/** The label of an attack-* term: the tactic's name and the technique's, tab-separated. */
export function attackLabel(label: string): { tactic: string; technique: string } {
  const [tactic, technique = ''] = label.split('\t');
  return { tactic, technique };
}

export interface ItemTerm {
  readonly kind: TermKind;
  /** The key filters compare: lower-cased and trimmed for names, the id for archetypes and sectors. */
  readonly value: string;
  /** What a facet or chip shows. */
  readonly label: string;
}

export const termKey = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

export function itemTerms(item: Item): ItemTerm[] {
  const out = new Map<string, ItemTerm>();
  const add = (kind: TermKind, value: string, label: string) => {
    if (value) out.set(`${kind}\u0000${value}`, { kind, value, label });
  };
  add('severity', item.severity.level, item.severity.level);
  add('triage', item.triage.level, item.triage.level);
  add('archetype', item.archetype.id, item.archetype.label);
  if (item.sector) add('sector', item.sector.id, item.sector.label);
  const vendors = [...item.facts.organisations.filter((o) => o.role === 'vendor').map((o) => o.name), ...item.facts.products.flatMap((p) => (p.vendor ? [p.vendor] : []))];
  for (const v of vendors) add('vendor', termKey(v), v.trim());
  for (const s of item.sources) add('source', termKey(s.outlet), s.outlet.trim());
  if (affectsUsFactor(item)) add('affects', 'yes', 'affects us');
  for (const t of item.attack) {
    add('technique', t.id, t.name);
    // One row per tactic the technique serves: the heatmap's cells. Observed ones are kept apart from those the playbook expects.
    for (const tactic of t.tactics) add(`attack-${t.basis}`, `${tactic.id} ${t.id}`, `${tactic.name}\t${t.name}`);
  }
  return [...out.values()];
}

/**
 * The text a search reads: what an analyst pastes (a CVE, a domain, an IP, a hash, an actor or vendor name) and the words of
 * the title and summary. Indicators go in refanged, so `evil.com` finds an item whose report wrote `evil[.]com`.
 */
export function searchBody(item: Item): string {
  const f = item.facts;
  return [
    item.title,
    ...item.summary,
    ...item.sources.map((s) => `${s.outlet} ${s.title}`),
    ...item.vulnerabilities.map((v) => v.cve),
    ...f.cves.map((c) => c.id),
    ...f.organisations.map((o) => o.name),
    ...f.products.map((p) => (p.vendor ? `${p.vendor} ${p.name}` : p.name)),
    ...f.actors.map((a) => a.label),
    ...f.advisories.map((a) => a.id),
    ...item.iocs.map((i) => i.value),
    ...item.attack.map((t) => `${t.id} ${t.name}`),
    item.archetype.label,
    item.sector?.label ?? '',
  ].filter(Boolean).join('\n');
}
