/** What a document brings to story matching: its text fingerprints and the keys of the event it reports, computed once at ingest. */
import { createHash } from 'node:crypto';
import type { Document, Facts } from '../domain/index.js';
import { classifyArchetype, NO_EVENT_ID } from '../extract/classify.js';
import type { StoryRules } from '../knowledge/kb-schema.js';
import type { Kb } from '../knowledge/load-kb.js';
import { signature, words } from './minhash.js';

export interface StoryFeatures {
  readonly documentId: string;
  readonly outlet: string;
  readonly published: string | null;
  /** sha256 of the normalised text: the same text anywhere is the same report. */
  readonly exact: string;
  readonly words: number;
  readonly signature: readonly number[];
  /** CVEs the report is about (in its title, or all of them when it cites three or fewer). */
  readonly cves: readonly string[];
  readonly allCves: readonly string[];
  readonly actors: readonly string[];
  /** The actors' names as written ("coyote", "apt28"): the same threat another report's extraction left as a name. */
  readonly actorLabels?: readonly string[];
  /** The actors that are malware families (Lumma Stealer): many operators' tool, and their type already says the incident type. */
  readonly families?: readonly string[];
  readonly victims: readonly string[];
  /** Products the report names ("cisco identity services engine"): the vendor-and-product agreement of two reports of one event. */
  readonly products?: readonly string[];
  /** Names the report is about: capitalised runs inside its sentences and shaped words (see nameTerms). */
  readonly terms: readonly string[];
  /** The runs of capitalised words the terms came from ("infrastructure security agency"): terms from one run are one name. */
  readonly runs: readonly string[];
  /** Coined names (ToolShell, LAMEHUG, Storm-2603): shapes no word has, so rarely shared by two events. */
  readonly coined: readonly string[];
  readonly titleWords: readonly string[];
  /** Capitalised headline words the report's own lead does not mark as names: a name when the other report's lead does. */
  readonly heads?: readonly string[];
  readonly digest: boolean;
  /** The incident type, when the report describes one ("ransomware", "exploited-internet-facing-vulnerability"). */
  readonly archetype: string | null;
}

// Function words only: trade words ("attack", "patch") are in kb/stories.yaml, where they can be tuned.
const STOPWORDS = new Set(`a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its
  just may more most new no not now of off on once only or our out over own s said says she so some such than that the their them then there
  these they this those through to too under up us very via was we were what when where which while who whom why will with would you your
  after again against all also any before being below between both during each few further here about above am because down nor other same
  should until whether amid across among around behind beyond despite inside near onto per since toward towards upon within without`.split(/\s+/));

const LEAD_CHARS = 1500;
const WORDPRESS_FOOTER = /\s*The post .{1,300}? appeared first on [^\n]{1,100}$/u;
const CORPORATE = /\b(inc|ltd|llc|corp|corporation|co|plc|gmbh|sa|ag|group|holdings|company)\.?$/i;

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[’']s\b/g, '').replace(CORPORATE, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Enough stemming for titles to meet: "breached" and "breach", "hackers" and "hacker", "exploits" and "exploited". */
export function stem(word: string): string {
  const w = word.replace(/[’']s$/, '').replace(/[’'-]+$/, '');
  if (/[^aeiou](ies|ied)$/.test(w) && w.length >= 6) return `${w.slice(0, -3)}y`;
  for (const suffix of ['ations', 'ation', 'ing', 'ers', 'ed', 'es', 'er']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) return w.slice(0, -suffix.length);
  }
  if (w.endsWith('s') && !w.endsWith('ss') && w.length >= 4) return w.slice(0, -1);
  return w;
}

const MONTHS_DAYS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november',
  'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

const SITE_NAME = /(?:^|[\s("'“‘])(\p{Lu}[\p{L}\p{N}-]*\.\p{Ll}{2,3})(?![\p{L}\p{N}])/gu;
const CONNECTORS = new Set(['of', 'and', 'for', 'the', 'de', 'du', 'von']);
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}-]*/gu;
// Shapes no dictionary word has: ToolShell, UNC6148, LAMEHUG, Storm-2603, DCHSpy (a capital after a part's first letter).
// Identifiers (ATT&CK T1059, G0007, CWE-79) are keys of their own, or too common to name an event.
const IDENTIFIER = /^(t|ta|g|s|m|c|ds)\d{4}(\.\d{3})?$|^(cwe|capec|cve|ghsa)-/i;
const shaped = (t: string) => !IDENTIFIER.test(t) && /\p{Lu}/u.test(t)
  && (/\p{Ll}\p{Lu}/u.test(t) || (/\p{L}/u.test(t) && /\d/.test(t) && !/^\d/.test(t)) || /^\p{Lu}{4,12}$/u.test(t)
    // The plural of an initialism (APTs, RATs) is not a coined shape.
    || t.split('-').some((part) => /^.+\p{Lu}/u.test(part) && /\p{Ll}/u.test(part) && !/^\p{Lu}+s$/u.test(part)));
// Four capitals are mostly an initialism (MOIS, DKIM, FCEB) or a word set in capitals (POST): a name, but not one coined for
// a single event, as LAMEHUG or OVERSTEP are.
const coinedShape = (t: string) => shaped(t) && !/^\p{Lu}{4}$/u.test(t);

/**
 * Names the report is about. From the lead: runs of capitalised words inside a sentence ("Linen Typhoon", "Coyote"), which
 * sentence case marks as names; from the title, whose Title Case marks everything, only shaped words. Generic words,
 * months, the outlet's own name and the actors (counted on their own) are left out.
 */
function nameTerms(title: string, lead: string, exclude: (term: string) => boolean): { terms: string[]; runs: string[]; coined: string[]; heads: string[] } {
  const out = new Set<string>();
  const runs = new Set<string>();
  const keep = (words: string[]) => {
    const whole = words.join(' ').toLowerCase();
    while (words.length > 0 && exclude(words[0].toLowerCase())) words.shift();
    while (words.length > 0 && exclude(words[words.length - 1].toLowerCase())) words.pop();
    if (words.length === 0 || words.length > 3) return;
    // "Amazon Q" is a name though "Amazon" names too much and "Q" alone too little: the short rest keeps the whole run.
    const rest = words.join(' ').toLowerCase();
    const term = rest.length < 4 && whole.split(' ').length <= 3 ? whole : rest;
    if (term.length >= 4 && !exclude(term)) out.add(term);
  };
  const named = new Set<string>();
  // A lone capitalised word is a name (Coyote, Clorox); inside a longer run only the whole run is, or a shaped word.
  const close = (run: string[]) => {
    if (run.length === 0) return;
    keep([...run]);
    // A lone word is a name the title may use alone; a word of "Volbelwin Energy" is not ("Energy" names nothing).
    if (run.length === 1) named.add(run[0].toLowerCase());
    else runs.add(run.join(' ').toLowerCase());
  };
  const matches = lead.split(/(?<=[.!?:])\s+|\n+/).map((sentence) => [...sentence.matchAll(TOKEN)]);
  const sentences = matches.map((ms) => ms.map((m) => m[0]));
  // A name does not run across punctuation: "Visual Studio Code (VS Code)" is two names, not one of five words.
  const spaced = matches.map((ms) => ms.map((m, i) => i === 0 || /^\s+$/.test(m.input!.slice(ms[i - 1].index + ms[i - 1][0].length, m.index))));
  const coined = new Set<string>();
  for (const [n, tokens] of sentences.entries()) {
    let run: string[] = [];
    tokens.forEach((t, i) => {
      const capital = /^\p{Lu}/u.test(t) || shaped(t);
      if (!spaced[n][i]) {
        close(run);
        run = [];
      }
      // "Department of Health and Human Services" is one name: a connector between capitalised words stays in the run.
      const connector = run.length > 0 && CONNECTORS.has(t) && /^\p{Lu}/u.test(tokens[i + 1] ?? '');
      if (connector) run.push(t);
      else if (capital && i > 0) {
        run.push(t);
        if (shaped(t)) {
          keep([t]);
          if (coinedShape(t)) coined.add(t.toLowerCase());
        }
      } else {
        close(run);
        run = [];
      }
    });
    close(run);
  }
  // A sentence's first word is capitalised anyway; it is a name when the title names it too ("Northwind said...").
  const titleWords = new Set((title.match(TOKEN) ?? []).map((t) => t.toLowerCase()));
  for (const tokens of sentences) {
    const first = tokens[0];
    if (first && /^\p{Lu}/u.test(first) && titleWords.has(first.toLowerCase())) named.add(first.toLowerCase());
  }
  // Title Case capitalises every word, so a title word counts only when the lead also writes it as a name, or by its shape.
  // A site written as its name ("XSS.is", "Paradox.ai") names one forum or company, though its first word may be generic.
  for (const m of `${title}\n${lead}`.matchAll(SITE_NAME)) {
    const site = m[1].toLowerCase();
    if (!exclude(site)) {
      out.add(site);
      coined.add(site);
    }
  }
  const heads = new Set<string>();
  for (const t of title.match(TOKEN) ?? []) {
    if (coinedShape(t)) coined.add(t.toLowerCase());
    if (shaped(t) || named.has(t.toLowerCase())) keep([t]);
    // Or when another report's lead does ("Matanbuchus" in one headline, named in the other's text): kept apart for the pair rule.
    else if (/^\p{Lu}/u.test(t) && t.length >= 4 && !exclude(t.toLowerCase())) heads.add(t.toLowerCase());
  }
  return { terms: [...out].sort(), runs: [...runs].sort(), coined: [...coined].filter((t) => out.has(t)).sort(), heads: [...heads].sort() };
}

function siteName(url: string | null): string {
  if (!url) return '';
  try {
    const labels = new URL(url).hostname.split('.');
    return labels.length >= 2 ? labels[labels.length - 2] : '';
  } catch {
    return '';
  }
}

/** Vendors and products (SonicWall, SharePoint) are named in many events: their names join reports, but are not coined for one. */
function withoutProducts<T extends { coined: string[] }>(names: T, facts: Facts): T {
  const products = [...facts.products.map((p) => p.name), ...facts.organisations.filter((o) => o.role === 'vendor').map((o) => o.name)]
    .map((n) => n.toLowerCase());
  return { ...names, coined: names.coined.filter((c) => !products.some((p) => ` ${p} `.includes(` ${c} `))) };
}

/**
 * The products a report names, vendor first, normalised: the same product written either way is one key. A platform whose
 * every word is generic (Microsoft Windows, Google Chrome) is named in passing by many events' reports and says which of them none.
 */
function productKeys(facts: Facts, generic: ReadonlySet<string>): string[] {
  return [...new Set(facts.products.map((p) => normaliseName(p.vendor && !p.name.toLowerCase().startsWith(p.vendor.toLowerCase()) ? `${p.vendor} ${p.name}` : p.name)))]
    .filter((n) => n.length >= 3 && n.split(' ').some((w) => !generic.has(w) && !/^\d+$/.test(w))).sort();
}

// A column announces itself in its first words ("PLUS: ...; and more Infosec In Brief"), whatever its headline leads with.
const DIGEST_LEAD_CHARS = 300;

const genericSets = new WeakMap<StoryRules, ReadonlySet<string>>();

/** The generic words as a set, built once per rules object: every report reads it, many times. */
export function genericWords(rules: StoryRules): ReadonlySet<string> {
  let set = genericSets.get(rules);
  if (!set) {
    set = new Set(rules.genericTerms);
    genericSets.set(rules, set);
  }
  return set;
}

export function isDigest(title: string, rules: StoryRules, text = ''): boolean {
  const lead = text.slice(0, DIGEST_LEAD_CHARS);
  return rules.digestTitles.some((p) => new RegExp(p, 'i').test(title)) || (rules.digestLeads ?? []).some((p) => new RegExp(p, 'i').test(lead));
}

/** Actor kinds that name one campaign's author; tools (Cobalt Strike, Mimikatz) are used by everyone and join nothing. */
export type ActorKind = (id: string) => 'group' | 'malware' | 'tool' | null;

export function storyFeatures(document: Document, facts: Facts, kb: Kb, actorKind: ActorKind = () => null): StoryFeatures {
  const rules = kb.stories;
  const type = classifyArchetype(facts, kb).id;
  // Only a described event says what happened; the fallback and "no event" say nothing two reports could share.
  const archetype = type === NO_EVENT_ID || type === 'general-incident' ? null : type;
  const generic = genericWords(rules);
  const actorNames = facts.actors.map((a) => a.label.toLowerCase());
  // A country or its people ("Swiss", "Ukrainian", "American") is named in many events' reports: a place, not an event's name.
  const benign = kb.benignDomains.map((d) => d.domain.toLowerCase());
  const places = new Set((facts.countries ?? []).flatMap((c) => [c.matched, c.name]).map((n) => n.toLowerCase()));
  // The publisher's own name (the outlet, its web site) is on every page it writes, not evidence of an event.
  const outlet = `${document.outlet} ${siteName(document.url)}`.toLowerCase();
  const exclude = (t: string) => generic.has(t) || STOPWORDS.has(t) || MONTHS_DAYS.has(t) || /^\d+$/.test(t) || /^cve-/.test(t)
    || outlet.includes(t) || places.has(t) || (t.includes('.') && benign.some((d) => t === d || t.endsWith(`.${d}`))) || actorNames.some((n) => n === t || n.includes(t));
  const tokens = words(document.text);
  const all = [...new Set(facts.cves.map((c) => c.id))].sort();
  const inTitle = all.filter((c) => document.title.toUpperCase().includes(c));
  // Feeds often repeat the Title Case headline as the first line of the text: it would read as a run of names.
  // WordPress feeds close each summary with "The post <headline> appeared first on <site>.": the headline again, not the lead.
  const body = (document.text.startsWith(document.title) ? document.text.slice(document.title.length) : document.text).replace(WORDPRESS_FOOTER, '');
  const lead = body.slice(0, LEAD_CHARS);
  return {
    documentId: document.id,
    outlet: document.outlet.toLowerCase(),
    published: document.published,
    exact: createHash('sha256').update(tokens.join(' ')).digest('hex').slice(0, 32),
    words: tokens.length,
    signature: [...signature(tokens)],
    cves: inTitle.length > 0 ? inTitle : all.length <= 3 ? all : [],
    allCves: all,
    actors: [...new Set(facts.actors.filter((a) => actorKind(a.id) !== 'tool').map((a) => a.id))].sort(),
    actorLabels: [...new Set(facts.actors.filter((a) => actorKind(a.id) !== 'tool').map((a) => a.label.toLowerCase()))].sort(),
    families: [...new Set(facts.actors.filter((a) => actorKind(a.id) === 'malware').map((a) => a.id))].sort(),
    products: productKeys(facts, generic),
    victims: [...new Set(facts.organisations.filter((o) => o.role === 'victim').map((o) => normaliseName(o.name)).filter((n) => n.length >= 3))].sort(),
    ...withoutProducts(nameTerms(document.title, lead, exclude), facts),
    // Trade words ("breach", "attack") are in every security headline: two titles meet on the words that say which event.
    titleWords: [...new Set(words(document.title).filter((w) => !STOPWORDS.has(w) && !generic.has(w) && w.length > 1).map(stem))].sort(),
    digest: isDigest(document.title, rules, body),
    archetype,
  };
}
