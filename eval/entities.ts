/**
 * Entity extraction scored on a labelled set of real feed entries (DIR/labels.jsonl, format in eval/sets/entities/README.md):
 * organisations by role, products, threat actors and malware, countries (with and without their role), sector and dates,
 * each with micro precision, recall and F1, and the misses per entry for reading.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document, Facts } from '../src/domain/index.js';
import { classifySector } from '../src/extract/classify.js';
import { extract } from '../src/extract/index.js';
import type { Catalogs } from '../src/knowledge/catalogs.js';
import { kevGazetteer } from '../src/knowledge/gazetteers.js';
import { importCatalogs } from '../src/knowledge/import-catalogs.js';
import { type Kb, loadKb } from '../src/knowledge/load-kb.js';
import { loadCatalogs } from '../src/knowledge/store-catalogs.js';
import { openSqliteStore } from '../src/store/index.js';
import type { EvalOptions } from './main.js';
import { loadStorySet } from './stories.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(root, '../shared/data');

// Organisations in the actor role are scored with the actors: the labels list threat actors once, under "actors".
const ROLES = ['victim', 'vendor', 'reporter'] as const;
const COUNTRY_ROLES = ['victim', 'actor', 'location'] as const;

export interface EntityLabels {
  readonly ref: string;
  readonly organisations: Partial<Record<(typeof ROLES)[number] | 'actor', string[]>>;
  readonly products: string[];
  readonly actors: string[];
  readonly countries: Partial<Record<(typeof COUNTRY_ROLES)[number], string[]>>;
  readonly sector: string | null;
  readonly dates: string[];
}

interface Tally { tp: number; fp: number; fn: number }
const round = (x: number) => Math.round(x * 1000) / 1000;
function prf(t: Tally) {
  const precision = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
  const recall = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision: round(precision), recall: round(recall), f1: round(f1), ...t };
}

/** Lower-case word tokens without corporate suffixes or possessives: "Mitel Networks" and "Mitel's" are both "mitel". */
export function tokens(name: string): string[] {
  return name.toLowerCase().replace(/[’']s\b/g, '').replace(/([a-z])(?=\d)|(\d)(?=[a-z])/g, '$1$2 ').split(/[^a-z0-9]+/)
    .filter((t) => t && !/^(inc|corp|corporation|co|ltd|llc|plc|the|networks|group|company|systems)$/.test(t));
}

/** Two names are one when the words of one are all among the words of the other. */
export function sameName(a: string, b: string): boolean {
  const x = tokens(a);
  const y = new Set(tokens(b));
  if (x.length === 0 || y.size === 0) return false;
  const ys = tokens(b);
  const xs = new Set(x);
  return x.every((t) => y.has(t)) || ys.every((t) => xs.has(t));
}

/** Matches predictions to labels one to one; each prediction is a list of names it may go by (a label and its alias). */
function score(predicted: readonly (readonly string[])[], labels: readonly string[], same: (p: string, l: string) => boolean) {
  const left = [...labels];
  const extra: string[] = [];
  for (const names of predicted) {
    const at = left.findIndex((l) => names.some((n) => same(n, l)));
    if (at >= 0) left.splice(at, 1);
    else extra.push(names[0]);
  }
  return { tp: labels.length - left.length, fp: extra.length, fn: left.length, missing: left, extra };
}

/** Products are matched without the vendor's name: "SMA 100" from the text is KEV's "SonicWall SMA 100". */
function sameProduct(predicted: string, label: string): boolean {
  return sameName(predicted, label);
}

function dateStrings(facts: Facts): string[] {
  return [...new Set(facts.dates.map((d) => (d.end && d.end !== d.date ? `${d.date}..${d.end}` : d.date)))];
}

export interface EntityPrediction {
  organisations: Record<string, string[]>;
  products: string[][];
  actors: string[][];
  countries: Record<string, string[]>;
  countryCodes: string[];
  sector: string | null;
  dates: string[];
}

/** What Vigil read from one document, in the label's terms. */
export function predict(doc: Document, kb: Kb, catalogs: Catalogs): EntityPrediction {
  const facts = extract(doc, kb, catalogs);
  const organisations: Record<string, string[]> = {};
  for (const role of [...ROLES, 'actor']) {
    organisations[role] = [...new Set(facts.organisations.filter((o) => o.role === role && o.evidence.rule !== 'role:outlet').map((o) => o.name))];
  }
  const actorNames = [
    ...facts.actors.map((a) => [a.label, ...(a.matched ? [a.matched] : [])]),
    ...organisations.actor.filter((n) => !facts.actors.some((a) => sameName(a.label, n) || (a.matched && sameName(a.matched, n)))).map((n) => [n]),
  ];
  const countries: Record<string, string[]> = {};
  for (const role of COUNTRY_ROLES) countries[role] = (facts.countries ?? []).filter((c) => c.role === role).map((c) => c.code);
  return {
    organisations,
    products: facts.products.map((p) => [p.vendor ? `${p.vendor} ${p.name}` : p.name, p.name]),
    actors: actorNames,
    countries,
    countryCodes: [...new Set((facts.countries ?? []).map((c) => c.code))],
    sector: classifySector(facts, kb)?.id ?? null,
    dates: dateStrings(facts),
  };
}

/**
 * The catalogs the extractor reads, with the KEV product gazetteer and ATT&CK names added from the reference data when
 * the store's catalogs do not carry them yet.
 */
export function withReferenceGazetteers(catalogs: Catalogs, dataDir: string): Catalogs {
  const kevFile = path.join(dataDir, 'kev/known_exploited_vulnerabilities.json');
  const attackFile = path.join(dataDir, 'attack/attack-index-18.1.json');
  const haveProducts = (catalogs.products?.() ?? []).length > 0;
  const products = haveProducts || !fs.existsSync(kevFile) ? null : kevGazetteer(JSON.parse(fs.readFileSync(kevFile, 'utf8')));
  let names: Map<string, string> | null = null;
  if (!catalogs.attackName && fs.existsSync(attackFile)) {
    const e = JSON.parse(fs.readFileSync(attackFile, 'utf8')).domains.enterprise as Record<string, Record<string, { name: string }>>;
    names = new Map(Object.entries(e.mitigations ?? {}).map(([id, m]) => [id, m.name]));
  }
  return {
    ...catalogs,
    ...(products ? { products: () => products } : {}),
    ...(names ? { attackName: (id: string) => names!.get(id) ?? null } : {}),
  };
}

export async function run(options: EvalOptions): Promise<Record<string, unknown>> {
  const kb = loadKb();
  const store = await openSqliteStore(':memory:');
  if (fs.existsSync(shared)) await importCatalogs(store, shared, new Date(0).toISOString());
  const catalogs = withReferenceGazetteers(await loadCatalogs(store), shared);
  await store.close();
  const rows = fs.readFileSync(path.join(options.data, 'labels.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EntityLabels);
  const { docs } = loadStorySet(options.data, process.env.VIGIL_STORY_FEEDS ?? path.join(shared, 'feeds'));
  const tally: Record<string, Tally> = {};
  const add = (name: string, r: Tally) => {
    const t = (tally[name] ??= { tp: 0, fp: 0, fn: 0 });
    t.tp += r.tp; t.fp += r.fp; t.fn += r.fn;
  };
  const misses: Record<string, Record<string, { missing: string[]; extra: string[] }>> = {};
  const note = (ref: string, field: string, r: { missing: string[]; extra: string[] }) => {
    if (r.missing.length || r.extra.length) (misses[ref] ??= {})[field] = { missing: r.missing, extra: r.extra };
  };
  const exact = (p: string, l: string) => p === l;
  for (const [i, doc] of docs.entries()) {
    const label = rows[i];
    const p = predict(doc, kb, catalogs);
    const ref = label.ref.slice(label.ref.indexOf('#') + 1);
    for (const role of ROLES) {
      const r = score(p.organisations[role].map((n) => [n]), label.organisations[role] ?? [], sameName);
      add(`organisations.${role}`, r); add('organisations', r); note(ref, `organisations.${role}`, r);
    }
    const products = score(p.products, label.products, sameProduct);
    add('products', products); note(ref, 'products', products);
    const actors = score(p.actors, [...label.actors, ...(label.organisations.actor ?? [])], sameName);
    add('actors', actors); note(ref, 'actors', actors);
    for (const role of COUNTRY_ROLES) {
      const r = score(p.countries[role].map((c) => [c]), label.countries[role] ?? [], exact);
      add('countries.withRole', r); note(ref, `countries.${role}`, r);
    }
    const codes = score(p.countryCodes.map((c) => [c]), [...new Set(Object.values(label.countries).flat())], exact);
    add('countries.any', codes);
    const sector = score(p.sector ? [[p.sector]] : [], label.sector ? [label.sector] : [], exact);
    add('sector', sector); note(ref, 'sector', sector);
    const dates = score(p.dates.map((d) => [d]), label.dates, exact);
    add('dates', dates); note(ref, 'dates', dates);
  }
  const perType = Object.fromEntries(Object.entries(tally).map(([k, t]) => [k, prf(t)]));
  const headline = ['organisations', 'products', 'actors', 'countries.withRole', 'sector', 'dates'].map((k) => tally[k]);
  const micro = prf(headline.reduce((a, t) => ({ tp: a.tp + t.tp, fp: a.fp + t.fp, fn: a.fn + t.fn }), { tp: 0, fp: 0, fn: 0 }));
  return { entries: docs.length, micro, perType, ...(options.json ? {} : { misses }) };
}
