/** The STIX 2.1 bundle of one or more items: a report per item with its indicators, observables, techniques, CVEs, victims and actors. */
import type { Ioc, Item, TechniqueRow } from '../domain/index.js';
import { type StixBundle, type StixObject, stixTimestamp, vigilId } from './stix-core.js';
import { observe } from './stix-observables.js';

export type { StixBundle, StixObject } from './stix-core.js';

export type TlpLevel = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export interface StixOptions {
  /** Who the bundle says produced it (created_by_ref); "Vigil" by default. */
  identityName?: string;
  /** News-derived intelligence is public by default. */
  tlp?: TlpLevel;
}

const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The TLP 2.0 marking definitions published by the OASIS CTI TC (cti-stix-common-objects): fixed ids every consumer knows. */
const TLP_IDS: Record<TlpLevel, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export function tlpMarking(level: TlpLevel): StixObject {
  return {
    type: 'marking-definition', spec_version: '2.1', id: TLP_IDS[level], created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

/** STIX confidence is 0-100; these sit inside the STIX 2.1 Appendix A "high/medium/low" bands. */
export const CONFIDENCE: Record<Ioc['confidence'], number> = { high: 85, medium: 50, low: 15 };

/** Techniques whose use means a vulnerability was exploited. */
const EXPLOITATION = new Set(['T1190', 'T1203', 'T1210', 'T1211', 'T1212', 'T1068']);

const attackUrl = (id: string) => `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
/** attack.ts names a technique the local knowledge lacks "T1560.001 (name not in ...)": a UI note, not its name. */
const techniqueName = (row: TechniqueRow) => (row.name.startsWith(`${row.id} (`) ? row.id : row.name);

/**
 * Objects by id. Reference objects (techniques, CVEs, organisations, observables) are shared by every item that
 * cites them: the merged object keeps its earliest `created` and the content of its latest `modified`.
 */
class Objects {
  readonly byId = new Map<string, StixObject>();
  add(o: StixObject): string {
    const had = this.byId.get(o.id);
    if (!had) this.byId.set(o.id, o);
    else if (had.created && o.created) {
      const newer = (o.modified ?? '') > (had.modified ?? '') ? o : had;
      this.byId.set(o.id, { ...newer, created: had.created < o.created ? had.created : o.created });
    }
    return o.id;
  }
}

interface Context {
  objects: Objects;
  author: string;
  marking: string[];
}

/** The producer. Its content never depends on the items, so every export carries the same object; `created` is a fixed date. */
function identity(options: StixOptions): StixObject {
  const created = '2026-01-01T00:00:00.000Z';
  const base = { type: 'identity', spec_version: '2.1' as const, created, modified: created };
  return options.identityName
    ? { ...base, id: vigilId('identity', `organization|${options.identityName.toLowerCase()}`), name: options.identityName, identity_class: 'organization' }
    : { ...base, id: vigilId('identity', 'system|vigil'), name: 'Vigil', identity_class: 'system',
      description: 'Vigil, a self-hosted security news center: intelligence items built from public reporting.' };
}

/** The parts of one item's report; every id it refers to is added to the shared objects. */
function itemObjects(item: Item, ctx: Context): StixObject {
  const { objects } = ctx;
  const at = stixTimestamp(item.enrichment.enrichedAt);
  const published = stixTimestamp(item.firstReported ?? item.asOf);
  const common = { spec_version: '2.1' as const, created: at, modified: at, created_by_ref: ctx.author, object_marking_refs: ctx.marking };
  const refs = new Set<string>([ctx.author]);
  const ref = (o: StixObject) => { refs.add(objects.add(o)); return o.id; };
  const relate = (type: string, source: string, target: string) => ref({
    type: 'relationship', id: vigilId('relationship', `${type}|${source}|${target}`), ...common,
    relationship_type: type, source_ref: source, target_ref: target,
  });

  const techniques = new Map<string, string>();
  for (const row of item.attack) {
    techniques.set(row.id, ref({
      type: 'attack-pattern', id: vigilId('attack-pattern', row.id), ...common, name: techniqueName(row),
      external_references: [{ source_name: 'mitre-attack', external_id: row.id, url: attackUrl(row.id) }],
      ...(row.tactics.length ? { kill_chain_phases: row.tactics.map((t) => ({ kill_chain_name: 'mitre-attack', phase_name: slug(t.name) })) } : {}),
    }));
  }
  // Observed and playbook-expected techniques are one object type in STIX; a note per basis keeps them apart.
  for (const basis of ['observed', 'consistent'] as const) {
    const rows = item.attack.filter((r) => r.basis === basis);
    if (rows.length === 0) continue;
    ref({
      type: 'note', id: vigilId('note', `${item.id}|attack|${basis}`), ...common, labels: [`attack-basis:${basis}`],
      abstract: basis === 'observed' ? 'ATT&CK techniques observed in the reporting'
        : `ATT&CK techniques expected of this incident type (${item.archetype.label}), not described in the reporting`,
      content: rows.map((r) => `${r.id} ${techniqueName(r)} (${r.confidence} confidence): ${r.evidence[0]?.text ?? ''}`).join('\n'),
      object_refs: rows.map((r) => techniques.get(r.id)!),
    });
  }

  const vulnerabilities = item.vulnerabilities.map((v) => {
    const facts = [
      v.cvss ? `CVSS ${v.cvss.baseScore.toFixed(1)}${v.cvss.kind === 'computed' ? ` (${v.cvss.vector})` : ' (estimated)'}` : null,
      v.kev ? `in CISA KEV since ${v.kev.dateAdded}` : null,
      v.epss ? `EPSS ${v.epss.probability.toFixed(3)} on ${v.epss.date}` : null,
    ].filter(Boolean);
    return ref({
      type: 'vulnerability', id: vigilId('vulnerability', v.cve), ...common, name: v.cve,
      ...(facts.length ? { description: `${facts.join('; ')}.` } : {}),
      external_references: [{ source_name: 'cve', external_id: v.cve, url: `https://www.cve.org/CVERecord?id=${v.cve}` }],
    });
  });
  const exploited = item.archetype.id === 'exploited-internet-facing-vulnerability'
    || item.facts.statuses.some((s) => s.id === 'actively-exploited') || item.vulnerabilities.some((v) => v.kev);
  if (exploited) {
    for (const row of item.attack.filter((r) => EXPLOITATION.has(r.id.split('.')[0]))) {
      for (const v of vulnerabilities) relate('targets', techniques.get(row.id)!, v);
    }
  }

  const victims = [...new Set(item.facts.organisations.filter((o) => o.role === 'victim').map((o) => o.name))].map((name) => ref({
    type: 'identity', id: vigilId('identity', `organization|${name.toLowerCase()}`), ...common, name, identity_class: 'organization',
  }));
  // ATT&CK software (S-ids) and malware the catalog does not list yet are malware families, not actors. A ransomware
  // gang and its ransomware share a name: both are kept, the one using the other.
  const isMalware = (id: string) => /^S\d{4}$/.test(id) || id.startsWith('unlisted-malware:');
  const actorNames = new Map<string, string>();
  const malwareNames = new Map<string, string>();
  for (const name of item.facts.organisations.filter((o) => o.role === 'actor').map((o) => o.name)) actorNames.set(name.toLowerCase(), name);
  for (const a of item.facts.actors) {
    const into = isMalware(a.id) ? malwareNames : actorNames;
    if (!into.has(a.label.toLowerCase())) into.set(a.label.toLowerCase(), a.label);
  }
  const actors = [...actorNames].map(([key, name]) => ref({ type: 'threat-actor', id: vigilId('threat-actor', key), ...common, name }));
  const malware = [...malwareNames].map(([key, name]) => ref({ type: 'malware', id: vigilId('malware', key), ...common, name, is_family: true }));
  for (const a of actors) for (const v of victims) relate('targets', a, v);
  // With one actor named, what was observed in the event is what that actor did.
  const actor = actors.length === 1 ? actors[0] : null;
  if (actor) for (const row of item.attack.filter((r) => r.basis === 'observed')) relate('uses', actor, techniques.get(row.id)!);
  if (actor) for (const m of malware) relate('uses', actor, m);

  const validFrom = item.firstReported ? stixTimestamp(item.firstReported) : published;
  for (const ioc of item.iocs) {
    // A benign reference (the outlet's domain, a documentation range) must never reach a blocklist.
    if (ioc.benign) continue;
    const { pattern, observables } = observe(ioc, ctx.marking);
    const indicator = ref({
      type: 'indicator', id: vigilId('indicator', `${item.id}|${pattern}`), ...common,
      name: ioc.value, description: `${ioc.context} (Vigil: ${ioc.rule}.)`,
      indicator_types: [ioc.confidence === 'high' ? 'malicious-activity' : 'unknown'],
      pattern, pattern_type: 'stix', pattern_version: '2.1', valid_from: validFrom, confidence: CONFIDENCE[ioc.confidence],
    });
    for (const o of observables) ref(o);
    if (observables[0]) relate('based-on', indicator, observables[0].id);
    // An indicator read from the sentence that also shows a technique is evidence of that technique.
    const context = ioc.context.replace(/…$/, '');
    for (const row of item.attack.filter((r) => r.basis === 'observed' && r.evidence.some((e) => e.text.startsWith(context) || e.text.includes(ioc.value)))) {
      relate('indicates', indicator, techniques.get(row.id)!);
    }
    if (actor) relate('indicates', indicator, actor);
  }

  const labels = [`archetype:${item.archetype.id}`, `severity:${item.severity.level.toLowerCase()}`, ...(item.example ? ['example'] : [])];
  const event = item.archetype.id !== 'no-security-event';
  const reportTypes = [
    ...(event ? ['threat-report'] : []), ...(item.vulnerabilities.length ? ['vulnerability'] : []),
    ...(item.iocs.some((i) => !i.benign) ? ['indicator'] : []), ...(actors.length ? ['threat-actor'] : []),
  ];
  return {
    type: 'report', id: vigilId('report', item.id), ...common, name: item.title,
    ...(item.summary.length ? { description: item.summary.join(' ') } : {}),
    ...(reportTypes.length ? { report_types: reportTypes } : {}),
    published, labels, object_refs: [...refs],
    external_references: [
      { source_name: 'vigil', external_id: item.id, description: `Vigil item, analysis as of ${item.asOf}` },
      ...item.sources.map((s) => ({
        source_name: s.outlet, description: s.published ? `${s.title} (${s.published.slice(0, 10)})` : s.title, ...(s.url ? { url: s.url } : {}),
      })),
    ],
  };
}

/** The bundle of a filtered list of items: one report each, shared objects (techniques, CVEs, observables...) once. */
export function itemsToStix(items: readonly Item[], options: StixOptions = {}): StixBundle {
  const objects = new Objects();
  const marking = tlpMarking(options.tlp ?? 'clear');
  const author = identity(options);
  objects.add(marking);
  objects.add(author);
  const ctx: Context = { objects, author: author.id, marking: [marking.id] };
  // Reports go after what they refer to, in the items' order.
  const reports = items.map((item) => itemObjects(item, ctx));
  const ids = items.map((i) => i.id).sort();
  return { type: 'bundle', id: vigilId('bundle', `${options.tlp ?? 'clear'}|${options.identityName ?? ''}|${ids.join(',')}`), objects: [...objects.byId.values(), ...reports] };
}

export function itemToStix(item: Item, options: StixOptions = {}): StixBundle {
  return itemsToStix([item], options);
}
