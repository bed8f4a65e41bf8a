/** `npm run eval -- examples --data DIR`: scores the pipeline's facts against hand-labelled expectations (DIR/*.txt|md|html with DIR/expected/*.json). */
import fs from 'node:fs';
import path from 'node:path';
import type { Item } from '../src/domain/index.js';
import { NO_CATALOGS } from '../src/knowledge/catalogs.js';
import { loadKb } from '../src/knowledge/load-kb.js';
import { ingest } from '../src/pipeline.js';
import { openSqliteStore } from '../src/store/index.js';
import type { EvalRun } from './main.js';

interface Expected {
  archetype: string;
  sector: string | null;
  victims: string[];
  vendors: string[];
  cves: string[];
  cwes: string[];
  cvssVectors: string[];
  attackIds: string[];
  iocs: { type: string; value: string }[];
  benignIocs: string[];
  dataTypes: string[];
  statuses: string[];
  disclosed: string | null;
  discovered: string | null;
  eventWindow: { start: string; end: string } | null;
}

type Sets = Record<string, [expected: string[], got: string[]]>;

/** What the pipeline said, in the label file's vocabulary. */
function observed(item: Item): Record<string, string[]> {
  const roles = (r: string) => item.facts.organisations.filter((o) => o.role === r).map((o) => o.name);
  const w = item.facts.dates.find((d) => d.kind === 'event-window' && d.end) ?? item.facts.dates.find((d) => d.kind === 'event-window');
  return {
    archetype: [item.archetype.id === 'no-security-event' ? 'informational' : item.archetype.id],
    sector: item.sector ? [item.sector.id] : [],
    victims: roles('victim'),
    vendors: roles('vendor'),
    cves: item.facts.cves.map((c) => c.id),
    cwes: [...new Set([...item.facts.cwes, ...item.facts.weaknesses].map((c) => c.id))],
    cvssVectors: item.facts.cvssVectors.map((v) => v.vector),
    attackIds: item.facts.attackIds.map((a) => a.id),
    iocs: item.iocs.filter((i) => !i.benign).map((i) => `${i.type}:${i.value.toLowerCase()}`),
    benignIocs: item.iocs.filter((i) => i.benign).map((i) => i.value.toLowerCase()),
    dataTypes: item.facts.dataTypes.map((d) => d.id),
    statuses: item.facts.statuses.map((s) => s.id),
    discovered: item.facts.dates.filter((d) => d.kind === 'discovered').map((d) => d.date).slice(0, 1),
    eventWindow: w ? [`${w.date}..${w.end ?? ''}`] : [],
  };
}

function expectedSets(e: Expected): Record<string, string[]> {
  return {
    archetype: [e.archetype],
    sector: e.sector ? [e.sector] : [],
    victims: e.victims,
    vendors: e.vendors,
    cves: e.cves,
    cwes: e.cwes,
    cvssVectors: e.cvssVectors,
    attackIds: e.attackIds,
    iocs: e.iocs.map((i) => `${i.type}:${i.value.toLowerCase()}`),
    benignIocs: e.benignIocs.map((v) => v.toLowerCase()),
    dataTypes: e.dataTypes,
    statuses: e.statuses,
    discovered: e.discovered ? [e.discovered] : [],
    eventWindow: e.eventWindow ? [`${e.eventWindow.start}..${e.eventWindow.end}`] : [],
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export const run: EvalRun = async ({ data }) => {
  const kb = loadKb();
  const store = await openSqliteStore(':memory:');
  const files = fs.readdirSync(data).filter((f) => /\.(txt|md|html)$/.test(f) && f !== 'README.md').sort();
  const totals: Record<string, { tp: number; fp: number; fn: number }> = {};
  const misses: Record<string, Sets> = {};
  for (const f of files) {
    const labels = path.join(data, 'expected', f.replace(/\.[a-z]+$/, '.json'));
    if (!fs.existsSync(labels)) continue;
    const expected = expectedSets(JSON.parse(fs.readFileSync(labels, 'utf8')));
    const { item } = await ingest(store, { bytes: fs.readFileSync(path.join(data, f)), origin: f }, {
      kb, catalogs: NO_CATALOGS, profile: null, profileName: null, now: () => new Date('2026-12-01T00:00:00Z'), asOf: '2026-12-01',
    });
    const got = observed(item);
    for (const [field, want] of Object.entries(expected)) {
      const have = new Set(got[field] ?? []);
      const wantSet = new Set(want);
      const t = (totals[field] ??= { tp: 0, fp: 0, fn: 0 });
      const tp = [...wantSet].filter((v) => have.has(v)).length;
      t.tp += tp;
      t.fp += have.size - tp;
      t.fn += wantSet.size - tp;
      if (tp !== have.size || tp !== wantSet.size) {
        (misses[f] ??= {})[field] = [[...wantSet].filter((v) => !have.has(v)), [...have].filter((v) => !wantSet.has(v))];
      }
    }
  }
  await store.close();
  const fields = Object.fromEntries(Object.entries(totals).map(([k, { tp, fp, fn }]) => {
    const p = tp + fp === 0 ? 1 : tp / (tp + fp);
    const r = tp + fn === 0 ? 1 : tp / (tp + fn);
    return [k, { precision: round(p), recall: round(r), f1: round(p + r === 0 ? 0 : (2 * p * r) / (p + r)), tp, fp, fn }];
  }));
  const all = Object.values(totals).reduce((a, t) => ({ tp: a.tp + t.tp, fp: a.fp + t.fp, fn: a.fn + t.fn }), { tp: 0, fp: 0, fn: 0 });
  const p = all.tp / Math.max(1, all.tp + all.fp);
  const r = all.tp / Math.max(1, all.tp + all.fn);
  return { documents: files.length, micro: { precision: round(p), recall: round(r), f1: round((2 * p * r) / Math.max(1e-9, p + r)) }, fields, misses: Object.fromEntries(Object.entries(misses).map(([f, m]) => [f, Object.fromEntries(Object.entries(m).map(([k, [missing, extra]]) => [k, { missing, extra }]))])) };
};
