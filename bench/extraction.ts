/** Throughput of IOC extraction beside ioc-extractor, and of the whole pipeline beside parsing alone, on real feed text. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractIOC } from 'ioc-extractor';
import { extractIocs } from '../src/extract/iocs.js';
import { parseDocument } from '../src/ingest/index.js';
import { NO_CATALOGS } from '../src/knowledge/catalogs.js';
import { loadKb } from '../src/knowledge/load-kb.js';
import { ingest } from '../src/pipeline.js';
import { openSqliteStore } from '../src/store/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VIGIL_SHARED_DATA ?? path.resolve(root, '../shared/data');

/** Article text from the saved real feeds: item descriptions with their markup removed. */
function feedCorpus(): string[] {
  const dir = path.join(shared, 'feeds');
  const out: string[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.xml'))) {
    const xml = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of xml.matchAll(/<(description|content:encoded|summary|content)[^>]*>([\s\S]*?)<\/\1>/g)) {
      const text = m[2].replace(/<!\[CDATA\[|\]\]>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
      if (text.length > 80) out.push(text);
    }
  }
  return out;
}

function time(fn: () => void, minMs = 1500): { seconds: number; runs: number } {
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    runs++;
  }
  return { seconds: (performance.now() - start) / 1000, runs };
}

const corpus = feedCorpus();
const mb = Buffer.byteLength(corpus.join('\n')) / 1e6;
const ours = time(() => { for (const t of corpus) extractIocs(t); });
const peer = time(() => { for (const t of corpus) extractIOC(t); });
const oursMbs = (mb * ours.runs) / ours.seconds;
const peerMbs = (mb * peer.runs) / peer.seconds;

const kb = loadKb();
const docs = fs.readdirSync(path.join(root, 'examples')).filter((f) => /\.(txt|md|html)$/.test(f) && f !== 'README.md')
  .map((f) => ({ bytes: fs.readFileSync(path.join(root, 'examples', f)), origin: f }));
const ctx = { kb, catalogs: NO_CATALOGS, profile: null, profileName: null, now: () => new Date('2026-12-01T00:00:00Z'), asOf: '2026-12-01' };
const rounds = 20;
const parseOnly = time(() => { for (const d of docs) parseDocument(d); });
const store = await openSqliteStore(':memory:');
const pipelineStart = performance.now();
for (let r = 0; r < rounds; r++) {
  for (const d of docs) await ingest(store, { ...d, bytes: Buffer.concat([d.bytes, Buffer.from(`\n\nRevision ${r}.`)]) }, ctx);
}
const pipelineSeconds = (performance.now() - pipelineStart) / 1000;
await store.close();

const parseDocsPerSecond = (docs.length * parseOnly.runs) / parseOnly.seconds;
const pipelineDocsPerSecond = (docs.length * rounds) / pipelineSeconds;
const result = {
  corpus: { documents: corpus.length, megabytes: Math.round(mb * 100) / 100, source: 'shared/data/feeds/*.xml descriptions' },
  iocExtraction: {
    vigilMBps: Math.round(oursMbs * 100) / 100,
    iocExtractorMBps: Math.round(peerMbs * 100) / 100,
    ratio: Math.round((oursMbs / peerMbs) * 100) / 100,
  },
  pipeline: {
    documentsPerSecond: Math.round(pipelineDocsPerSecond),
    parseOnlyDocumentsPerSecond: Math.round(parseDocsPerSecond),
    ratioToParseOnly: Math.round((pipelineDocsPerSecond / parseDocsPerSecond) * 1000) / 1000,
    note: 'every document is new each round (a revision line), so each run extracts, enriches and stores',
  },
  // maxRSS is in kilobytes: the peak of the whole run, work being synchronous.
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
