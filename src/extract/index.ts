/** Extraction: one Document in, its Facts out (identifiers, IOCs, organisations, products, dates, labels), each with evidence. */
import type { Document, Facts } from '../domain/index.js';
import type { Catalogs } from '../knowledge/catalogs.js';
import type { Kb } from '../knowledge/load-kb.js';
import { findCvssVectors } from '../score/cvss.js';
import { findActors } from './actors.js';
import { findAttackRefs } from './attack-refs.js';
import { findNamedThreats } from './named-threats.js';
import { findCountries } from './countries.js';
import { findDates } from './dates.js';
import { evidenceOf } from './evidence.js';
import { findAdvisoryIds, findAttackIds, findCves, findCwes } from './identifiers.js';
import { findAffectedCount, findDisruption } from './impact.js';
import { extractIocs } from './iocs.js';
import { matchLabelSentences, matchLabels, matchSignals } from './label-rules.js';
import { findOrganisations, findProducts } from './organisations.js';
import { findKevProducts, kevVendorsIn, mergeProducts } from './products.js';
import { type Sentence, sentenceAt, splitSentences } from './sentences.js';

export { splitSentences, type Sentence } from './sentences.js';

function cvssFacts(text: string, sentences: readonly Sentence[]): Facts['cvssVectors'] {
  const out: Facts['cvssVectors'] = [];
  for (const v of findCvssVectors(text)) {
    const s = sentenceAt(sentences, v.start);
    if (!s) continue;
    const cve = /\bCVE-\d{4}-\d{4,7}\b/i.exec(s.text)?.[0]?.toUpperCase() ?? null;
    if (!out.some((o) => o.vector === v.vector)) out.push({ vector: v.vector, cve, evidence: evidenceOf(s, 'identifier:cvss-vector') });
  }
  return out;
}

/** The text every offset in Facts refers to. The title is the first sentence: headlines often carry the victim and the CVE. */
export function documentText(document: Document): string {
  return `${document.title}.\n\n${document.text}`;
}

/** A weakness recognised from phrasing adds nothing where the sentence names its CWE outright. */
function withoutRestated(phrased: Facts['weaknesses'], named: Facts['cwes']): Facts['weaknesses'] {
  const namedAt = new Set(named.map((c) => c.evidence.start));
  return phrased.filter((w) => !namedAt.has(w.evidence.start));
}

export function extract(document: Document, kb: Kb, catalogs: Catalogs): Facts {
  const text = documentText(document);
  const sentences = splitSentences(text);
  const cwes = findCwes(sentences);
  const kev = catalogs.products?.() ?? [];
  const countries = findCountries(sentences, kb.countries);
  const organisations = findOrganisations(sentences, document.outlet, kevVendorsIn(sentences, kev), countries.map((c) => c.matched));
  const vendors = organisations.filter((o) => o.role === 'vendor').map((o) => o.name);
  const catalogActors = findActors(sentences, catalogs);
  const known = [...catalogActors.flatMap((a) => [a.label, ...(a.matched ? [a.matched] : [])]), ...organisations.filter((o) => o.role !== 'actor').map((o) => o.name)];
  const techniqueHits = matchSignals(
    [...kb.techniques.values()].map((t) => ({ id: t.id, label: t.name, signals: t.signals })),
    sentences,
    'technique',
  );
  return {
    organisations,
    products: mergeProducts(findKevProducts(sentences, kev), findProducts(sentences, vendors)),
    cves: findCves(sentences),
    cwes,
    cvssVectors: cvssFacts(text, sentences),
    attackIds: findAttackIds(sentences),
    advisories: findAdvisoryIds(sentences, kb.advisoryIds),
    techniques: dedupe(techniqueHits.map((h) => ({ id: h.id, evidence: h.fact.evidence }))),
    weaknesses: withoutRestated(
      dedupe(
        matchSignals(kb.weaknesses.map((w) => ({ id: w.id, label: w.name, signals: w.signals })), sentences, 'weakness').map((h) => ({
          id: h.id,
          evidence: h.fact.evidence,
        })),
      ),
      cwes,
    ),
    iocs: extractIocs(text),
    dataTypes: matchLabels(kb.dataTypes, sentences, 'data-type'),
    statuses: matchLabels(kb.statuses, sentences, 'status'),
    sectors: matchLabelSentences(kb.sectors, sentences, 'sector'),
    signals: matchSignals(kb.archetypes, sentences, 'archetype').map((h) => h.fact),
    actors: [...catalogActors, ...findNamedThreats(sentences, known)],
    attackRefs: findAttackRefs(sentences, catalogs),
    countries,
    dates: findDates(sentences, document.published),
    disruption: findDisruption(sentences),
    affectedCount: findAffectedCount(sentences),
  };
}

function dedupe<T extends { id: string }>(facts: T[]): T[] {
  const seen = new Set<string>();
  return facts.filter((f) => !seen.has(f.id) && seen.add(f.id));
}
