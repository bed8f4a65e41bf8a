/** `techniqueModelFromDir`: trains the technique model at kb import from a folder laid out like shared/data (ATT&CK bundles, TRAM sentences). */
import fs from 'node:fs';
import path from 'node:path';
import { buildTechniqueCorpus, type LabelledSentence } from './corpus.js';
import { serialiseModel, TechniqueModelError } from './model.js';
import { type TrainOptions, trainTechniqueModel } from './train.js';

/** Where the ATT&CK bundles and TRAM-format labelled sentences sit in an import folder. */
const BUNDLE = /^(enterprise|mobile|ics)-attack(?:-[\d.]+)?\.json$/;
const LABELLED_DIRS = ['attack-mapping', 'eval-dev/attack-mapping', 'tram'];

export interface TechniqueModelSources {
  readonly bundles: readonly string[];
  readonly labelled: readonly string[];
}

/**
 * The files a model is trained from: `attack/<domain>-attack-<version>.json` (Enterprise always, Mobile and ICS when
 * `domains` asks for them; the newest version of each) and every `*sentences.jsonl` in a TRAM-format folder.
 */
export function techniqueModelSources(dataDir: string, domains: readonly string[] = ['enterprise']): TechniqueModelSources {
  const attackDir = path.join(dataDir, 'attack');
  const files = fs.existsSync(attackDir) ? fs.readdirSync(attackDir).filter((f) => BUNDLE.test(f)) : [];
  const bundles = domains.flatMap((d) => {
    const mine = files.filter((f) => BUNDLE.exec(f)?.[1] === d).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return mine.length > 0 ? [path.join(attackDir, mine[mine.length - 1])] : [];
  });
  if (!bundles.some((b) => path.basename(b).startsWith('enterprise-'))) {
    throw new TechniqueModelError(`${attackDir}: no enterprise-attack-<version>.json (the ATT&CK STIX 2.1 bundle) to train the technique model on`);
  }
  const labelled = LABELLED_DIRS.map((d) => path.join(dataDir, d)).filter((d) => fs.existsSync(d))
    .flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('sentences.jsonl')).sort().map((f) => path.join(d, f)));
  return { bundles, labelled };
}

export function readLabelledSentences(file: string): LabelledSentence[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((line, i) => {
    let r: { text?: unknown; techniques?: unknown; doc_id?: unknown };
    try {
      r = JSON.parse(line) as typeof r;
    } catch {
      throw new TechniqueModelError(`${file}:${i + 1}: not JSON`);
    }
    if (typeof r.text !== 'string' || !Array.isArray(r.techniques) || !r.techniques.every((t) => typeof t === 'string')) {
      throw new TechniqueModelError(`${file}:${i + 1}: a labelled sentence needs "text" and "techniques" (ids)`);
    }
    return { text: r.text, techniques: r.techniques as string[], ...(typeof r.doc_id === 'string' ? { report: r.doc_id } : {}) };
  });
}

/** Trains on the folder's ATT&CK text and labelled sentences and returns the serialised model (JSON), ready to store. */
export function techniqueModelFromDir(dataDir: string, options: TrainOptions & { domains?: readonly string[] } = {}): string {
  const sources = techniqueModelSources(dataDir, options.domains);
  const bundles = sources.bundles.map((f) => {
    try {
      return JSON.parse(fs.readFileSync(f, 'utf8')) as unknown;
    } catch (e) {
      throw new TechniqueModelError(`${f}: not a readable ATT&CK bundle (${(e as Error).message})`);
    }
  });
  const corpus = buildTechniqueCorpus(bundles, sources.labelled.flatMap(readLabelledSentences));
  return serialiseModel(trainTechniqueModel(corpus, options));
}
