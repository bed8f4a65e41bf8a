/** The pair rule: are two reports the same story? Symmetric and stateless, so the grouping built on it does not depend on arrival order. */
import type { StoryRules } from '../knowledge/kb-schema.js';
import type { StoryFeatures } from './features.js';
import { similarity } from './minhash.js';

export interface PairVerdict {
  readonly same: boolean;
  readonly score: number;
  /** Why, in words an analyst can check: "near-duplicate (0.92)", "CVE-2025-53770", "victim clorox". */
  readonly reasons: readonly string[];
}

const shared = (a: readonly string[], b: readonly string[]) => a.filter((x) => b.includes(x));

// Every pair reads two dates, and a busy window compares one report with hundreds: each date string is parsed once.
const parsed = new Map<string, number>();
function time(iso: string): number {
  let t = parsed.get(iso);
  if (t === undefined) {
    if (parsed.size >= 200_000) parsed.clear();
    t = Date.parse(iso);
    parsed.set(iso, t);
  }
  return t;
}

export function daysApart(a: string | null, b: string | null): number | null {
  if (!a || !b) return null;
  return Math.abs(time(a) - time(b)) / 86_400_000;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const n = shared(a, b).length;
  return n / (a.length + b.length - n);
}

const MIN_EXACT_WORDS = 40;

const inRun = (runs: readonly string[], t: string, u: string) =>
  runs.some((r) => ` ${r} `.includes(` ${t} `) && ` ${r} `.includes(` ${u} `));

/**
 * The shared names, each piece of evidence once: "sharepoint" inside "sharepoint server", or "active" and "directory" from
 * "Active Directory" in both texts, are one name.
 */
const within = (part: string, whole: string) => ` ${whole} `.includes(` ${part} `);

const soleActor = (name: string, has: StoryFeatures, other: StoryFeatures) =>
  (has.actorLabels ?? []).includes(name) && !(other.actorLabels ?? []).includes(name);

/** A coined name, or a threat's name its extraction took as an actor: either names one thing, rarely two events. */
const coinedIn = (f: StoryFeatures, name: string) => f.coined.includes(name) || (f.actorLabels ?? []).includes(name);

function nameUnits(a: StoryFeatures, b: StoryFeatures): string[] {
  // "Fabrikam" in one report and "Fabrikam Forensics" in the other are the same name: the shorter form is what they share.
  const found = new Set<string>();
  for (const x of a.terms) for (const y of b.terms) if (within(x, y)) found.add(x); else if (within(y, x)) found.add(y);
  for (const x of a.heads ?? []) if (b.terms.includes(x)) found.add(x);
  for (const y of b.heads ?? []) if (a.terms.includes(y)) found.add(y);
  // A threat one report's extraction took as an actor ("Coyote", "BlackSuit") and the other left as a name or a headline
  // word is still one shared name; a threat both took as the same actor is counted as that actor, not again here.
  for (const x of [...a.terms, ...(a.heads ?? [])]) if (soleActor(x, b, a)) found.add(x);
  for (const y of [...b.terms, ...(b.heads ?? [])]) if (soleActor(y, a, b)) found.add(y);
  const terms = [...found].filter((t, _, all) => !all.some((o) => o !== t && within(t, o)));
  const units: string[][] = [];
  for (const t of terms) {
    const unit = units.find((u) => u.some((x) => inRun(a.runs, t, x) && inRun(b.runs, t, x)));
    if (unit) unit.push(t);
    else units.push([t]);
  }
  return units.map((u) => u.join(' '));
}

function kindsAgree(a: string | null, b: string | null, rules: StoryRules): boolean {
  return a === null || b === null || a === b || (rules.relatedArchetypes ?? []).some((group) => group.includes(a) && group.includes(b));
}

function sameProducts(a: readonly string[], b: readonly string[]): string[] {
  const out = new Set<string>();
  for (const x of a) for (const y of b) if (within(x, y)) out.add(x); else if (within(y, x)) out.add(y);
  return [...out].sort();
}

const NO: PairVerdict = Object.freeze({ same: false, score: 0, reasons: [] });

export function sameStory(a: StoryFeatures, b: StoryFeatures, rules: StoryRules): PairVerdict {
  // A short text (a title-only entry) repeats by chance within one outlet: "Lumma Stealer infection" twice is two captures.
  if (a.exact === b.exact && (a.outlet !== b.outlet || a.words >= MIN_EXACT_WORDS)) return { same: true, score: Infinity, reasons: ['the same text'] };
  // A digest quotes the stories it lists, sometimes whole: it stays its own item.
  if (a.digest || b.digest) return NO;
  const near = similarity(a.signature, b.signature);
  // An outlet's own pages share templates and boilerplate; across outlets this much overlap is a copy.
  if (near >= rules.nearDuplicate && a.outlet !== b.outlet) return { same: true, score: Infinity, reasons: [`near-duplicate (${near.toFixed(2)})`] };
  const apart = daysApart(a.published, b.published);
  if (apart !== null && apart > rules.windowDays) return NO;
  // Two reports about different CVEs are two disclosures, whatever else they share.
  if (a.allCves.length > 0 && b.allCves.length > 0 && shared(a.allCves, b.allCves).length === 0) return NO;
  const w = rules.weights;
  let score = 0;
  const reasons: string[] = [];
  const cves = shared(a.cves, b.cves);
  if (cves.length > 0) { score += w.cve; reasons.push(cves.join(', ')); }
  const actors = shared(a.actors, b.actors);
  if (actors.length > 0) { score += w.actor; reasons.push(`actor ${actors.join(', ')}`); }
  const victims = shared(a.victims, b.victims);
  if (victims.length > 0) { score += w.victim; reasons.push(`victim ${victims.join(', ')}`); }
  // "microsoft sharepoint" and "microsoft sharepoint server" are one product. Two kinds of incident on one product (a phishing
  // lure that spoofs it, an exploited flaw in it) are two events, unless the kb relates the kinds (a flaw's advisory, then its exploitation).
  const products = kindsAgree(a.archetype, b.archetype, rules) ? sameProducts(a.products ?? [], b.products ?? []) : [];
  if (products.length > 0) { score += w.product ?? 0; reasons.push(`product ${products.join(', ')}`); }
  // The same product or victim in the same few days is most often one event; weeks apart, often two. A group or a malware
  // family runs several campaigns a week (APT28's LAMEHUG and its sanctions), so it does not count here.
  if ((products.length > 0 || victims.length > 0) && apart !== null && apart <= (rules.sameDays ?? -1)) { score += w.days ?? 0; reasons.push('in the same days'); }
  // A name that is a word of a shared product ("sharepoint" of "microsoft sharepoint server") is that product again, not more evidence.
  const names = nameUnits(a, b).filter((n) => !products.some((p) => within(n, p)));
  if (names.length > 0) { score += w.term * Math.min(2, names.length); reasons.push(`names ${names.slice(0, 4).join(', ')}`); }
  // A coined name (ToolShell, LAMEHUG, Storm-2603) is rarely shared by two events: it counts twice.
  if (names.some((n) => coinedIn(a, n) && coinedIn(b, n))) score += w.term;
  // An infostealer family named in both already says both are infostealer reports: the incident type adds nothing to it.
  const familiesOnly = actors.length > 0 && actors.every((x) => (a.families ?? []).includes(x) || (b.families ?? []).includes(x));
  if (a.archetype && a.archetype === b.archetype && score - (familiesOnly ? w.actor : 0) > 0) { score += w.archetype; reasons.push(`both ${a.archetype}`); }
  const overlap = jaccard(a.titleWords, b.titleWords);
  if (overlap >= rules.titleOverlap) { score += w.title; reasons.push(`titles overlap ${overlap.toFixed(2)}`); }
  return { same: score >= rules.threshold, score, reasons };
}
