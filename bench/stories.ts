/**
 * Story grouping at 10k, 50k and 100k generated articles: events reported by one to five outlets each, over a year, with
 * real sentences from the saved feeds around generated names, CVEs and actors. Times feature computation and grouping
 * (extraction is measured by the extraction bench), reports peak RSS, and the growth from one size to the next.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storyFeatures } from '../src/cluster/features.js';
import { StoryIndex } from '../src/cluster/story-index.js';
import type { Document, Facts } from '../src/domain/index.js';
import { loadKb } from '../src/knowledge/load-kb.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(root, '../shared/data');
const kb = loadKb();

function sentencePool(): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(path.join(shared, 'feeds')).filter((x) => x.endsWith('.xml'))) {
    const xml = fs.readFileSync(path.join(shared, 'feeds', f), 'utf8').replace(/<!\[CDATA\[|\]\]>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    // Lower-cased: the real names in these sentences belong to real events, and would tie unrelated generated ones together.
    for (const m of xml.replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ').matchAll(/[A-Z][^.!?]{40,300}[.!?]/g)) {
      const s = m[0].replace(/\s+/g, ' ').toLowerCase();
      out.push(s[0].toUpperCase() + s.slice(1));
    }
  }
  return out;
}

const pool = sentencePool();
let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const SYLLABLES = ['nor', 'th', 'win', 'con', 'to', 'so', 'fab', 'ri', 'kam', 'lit', 'ware', 'zen', 'qua', 'vex', 'tal', 'mor', 'dex', 'pli', 'ra', 'gon',
  'bel', 'cus', 'dra', 'fen', 'gri', 'hal', 'jor', 'kel', 'lun', 'mir', 'nex', 'pav', 'rol', 'sen', 'tur', 'vol'];
const name = () => { const w = Array.from({ length: 3 + Math.floor(rand() * 2) }, () => pick(SYLLABLES)).join(''); return w[0].toUpperCase() + w.slice(1); };
const OUTLETS = Array.from({ length: 40 }, (_, i) => `Outlet ${i}`);
const evidence = (text: string) => ({ text, rule: 'bench' });
const EMPTY: Facts = {
  organisations: [], products: [], cves: [], cwes: [], cvssVectors: [], attackIds: [], advisories: [], techniques: [], weaknesses: [], iocs: [],
  dataTypes: [], statuses: [], sectors: [], signals: [], actors: [], dates: [], disruption: null, affectedCount: null,
};

/** N reports of about N/2.5 events; each event has a victim, maybe a CVE and an actor, and a date in one year. */
function corpus(n: number): { document: Document; facts: Facts }[] {
  seed = 42;
  const out: { document: Document; facts: Facts }[] = [];
  for (let e = 0; out.length < n; e++) {
    const victim = `${name()} ${pick(['Health', 'Bank', 'Logistics', 'Systems', 'Foods', 'Energy'])}`;
    const cve = rand() < 0.4 ? `CVE-2026-${10000 + e}` : null;
    const actor = rand() < 0.3 ? { id: `G${1000 + (e % 500)}`, label: `${name()} Spider` } : null;
    const day = Date.UTC(2026, 0, 1) + Math.floor(rand() * 365) * 86_400_000;
    const reports = 1 + Math.floor(rand() * 4);
    for (let r = 0; r < reports && out.length < n; r++) {
      const body = [`${victim} said attackers breached its network${cve ? ` through ${cve}` : ''}.`, ...Array.from({ length: 6 }, () => pick(pool)),
        actor ? `Researchers attribute the attack to ${actor.label}.` : '', `${victim} is working with investigators.`].join(' ');
      const title = `${victim} ${pick(['hit by', 'confirms', 'discloses', 'investigates'])} ${pick(['cyberattack', 'data breach', 'intrusion', 'ransomware attack'])}`;
      const document: Document = {
        id: `doc_${out.length}`, contentHash: String(out.length), title, outlet: pick(OUTLETS), url: null,
        published: new Date(day + r * 36e5 * 9).toISOString(), format: 'text', text: body, origin: 'bench', example: false,
      };
      const facts: Facts = {
        ...EMPTY,
        organisations: [{ name: victim, role: 'victim', evidence: evidence(body) }],
        cves: cve ? [{ id: cve, evidence: evidence(body) }] : [],
        actors: actor ? [{ id: actor.id, label: actor.label, evidence: evidence(body) }] : [],
      };
      out.push({ document, facts });
    }
  }
  return out;
}

function run(n: number) {
  const docs = corpus(n);
  const start = performance.now();
  // CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns.
  const cpuStart = process.cpuUsage();
  const features = docs.map((d) => storyFeatures(d.document, d.facts, kb));
  const featureSeconds = (performance.now() - start) / 1000;
  const index = new StoryIndex(kb.stories);
  for (const f of features) index.add(f);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { articles: n, seconds: Math.round(seconds * 100) / 100, cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100, featureSeconds: Math.round(featureSeconds * 100) / 100, items: index.groups().length, links: index.links.length };
}

const sizes = (process.env.VIGIL_BENCH_SIZES ?? '10000,50000,100000').split(',').map(Number);
const runs = sizes.map(run);
const growth = runs.slice(1).map((r, i) => ({
  from: runs[i].articles, to: r.articles, sizeRatio: r.articles / runs[i].articles,
  timeRatio: Math.round((r.seconds / runs[i].seconds) * 100) / 100,
  perDoublingRatio: Math.round((r.seconds / runs[i].seconds) ** (1 / Math.log2(r.articles / runs[i].articles)) * 1000) / 1000,
}));
process.stdout.write(`${JSON.stringify({
  runs, growth, target: { seconds100k: 60, perDoublingRatio: 2.15 },
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  note: 'one process, one core (grouping is synchronous); story features from stored facts, grouping in the in-memory index',
}, null, 2)}\n`);
