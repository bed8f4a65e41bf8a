/** The watchlist matcher: pure; says whether an item meets every rule of a watchlist and, for the alert, which value met each. */
import { type Item, SEVERITIES } from '../domain/index.js';
import type { Watchlist } from '../domain/watchlist.js';
import { affectsUsFactor } from '../score/affects-us.js';

export interface Match {
  readonly matched: boolean;
  readonly reasons: string[];
}

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Fortinet" names "Fortinet Inc." but not "Fortinetwork": whole words, either way round. */
function names(candidate: string, wanted: string): boolean {
  const [c, w] = [norm(candidate), norm(wanted)];
  if (c === w) return true;
  const within = (outer: string, inner: string) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRe(inner)}($|[^\\p{L}\\p{N}])`, 'u').test(outer);
  return within(c, w) || within(w, c);
}

function firstNamed(candidates: readonly string[], wanted: readonly string[]): { wanted: string; found: string } | null {
  for (const w of wanted) {
    const found = candidates.find((c) => names(c, w));
    if (found !== undefined) return { wanted: w, found };
  }
  return null;
}

type Rule = (w: Watchlist['rules'], item: Item) => string | null | undefined;

/** One check per rule kind; undefined when the watchlist does not use the rule, null when the item fails it. */
const RULES: readonly Rule[] = [
  ({ vendors }, item) => {
    if (!vendors) return undefined;
    const f = item.facts;
    const hit = firstNamed([...f.organisations.filter((o) => o.role === 'vendor').map((o) => o.name), ...f.products.flatMap((p) => (p.vendor ? [p.vendor] : []))], vendors);
    return hit ? `vendor ${hit.found}` : null;
  },
  ({ products }, item) => {
    if (!products) return undefined;
    const hit = firstNamed(item.facts.products.map((p) => p.name), products);
    return hit ? `product ${hit.found}` : null;
  },
  ({ cves }, item) => {
    if (!cves) return undefined;
    const cited = new Set([...item.facts.cves.map((c) => c.id), ...item.vulnerabilities.map((v) => v.cve)].map((c) => c.toUpperCase()));
    const hit = cves.map((c) => c.toUpperCase()).find((c) => cited.has(c));
    return hit ? `cites ${hit}` : null;
  },
  ({ sectors }, item) => {
    if (!sectors) return undefined;
    const labels = [item.sector, ...item.facts.sectors].flatMap((s) => (s ? [s.id, s.label] : []));
    const hit = firstNamed(labels, sectors);
    return hit ? `sector ${item.sector && names(item.sector.id, hit.wanted) ? item.sector.label : hit.found}` : null;
  },
  ({ archetypes }, item) => {
    if (!archetypes) return undefined;
    const hit = firstNamed([item.archetype.id, item.archetype.label], archetypes);
    return hit ? `incident type ${item.archetype.label}` : null;
  },
  ({ minSeverity }, item) => {
    if (!minSeverity) return undefined;
    // SEVERITIES runs from the most severe down: a smaller index is more severe.
    return SEVERITIES.indexOf(item.severity.level) <= SEVERITIES.indexOf(minSeverity) ? `severity ${item.severity.level} (at least ${minSeverity})` : null;
  },
  ({ minPriority }, item) => {
    if (minPriority === undefined) return undefined;
    return item.priority.value >= minPriority ? `priority ${item.priority.value.toFixed(3)} (at least ${minPriority})` : null;
  },
  ({ affectsUs }, item) => {
    if (affectsUs === undefined) return undefined;
    const relevance = affectsUsFactor(item);
    if ((relevance !== null) !== affectsUs) return null;
    return relevance ? `affects us: ${relevance.reason}` : 'does not involve the team profile';
  },
];

export function matches(watchlist: Watchlist, item: Item): Match {
  const reasons: string[] = [];
  for (const rule of RULES) {
    const r = rule(watchlist.rules, item);
    if (r === undefined) continue;
    if (r === null) return { matched: false, reasons: [] };
    reasons.push(r);
  }
  return { matched: reasons.length > 0, reasons };
}
