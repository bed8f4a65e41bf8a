/** The training corpus of the technique model: ATT&CK's techniques, their descriptions and procedure examples, plus labelled report sentences. */
import { splitSentences } from '../extract/sentences.js';

/** One active (neither revoked nor deprecated) technique or sub-technique. */
export interface TechniqueInfo {
  readonly id: string;
  readonly name: string;
  /** The parent technique of a sub-technique, else null. */
  readonly parent: string | null;
  readonly tactics: readonly string[];
}

export type ExampleSource = 'attack-name' | 'attack-description' | 'attack-procedure' | 'labelled';

/** One training sentence with the techniques it shows (none: a negative example). */
export interface TrainingExample {
  readonly text: string;
  readonly labels: readonly string[];
  readonly source: ExampleSource;
  /** The report a labelled sentence comes from: the unit of cross-fitting, and of the document labels. */
  readonly report?: string;
}

/** A labelled sentence from reporting (TRAM's format: `text` and `techniques`), ids as of any ATT&CK version. */
export interface LabelledSentence {
  readonly text: string;
  readonly techniques: readonly string[];
  /** Its report (TRAM's `doc_id`), when known: the document decision is fitted on whole reports. */
  readonly report?: string;
}

export interface TechniqueCorpus {
  /** ATT&CK version(s) read, e.g. "enterprise 18.1". */
  readonly attackVersion: string;
  readonly techniques: readonly TechniqueInfo[];
  /** Revoked id to its replacement, followed through revoked-by relationships to an active technique. */
  readonly replacements: Readonly<Record<string, string>>;
  /** Revoked or deprecated ids with no active replacement: never predicted, dropped from labels. */
  readonly retired: readonly string[];
  readonly examples: readonly TrainingExample[];
}

interface StixObject {
  type?: unknown; id?: unknown; name?: unknown; description?: unknown; revoked?: unknown; x_mitre_deprecated?: unknown;
  external_references?: unknown; kill_chain_phases?: unknown; relationship_type?: unknown; source_ref?: unknown;
  target_ref?: unknown; x_mitre_version?: unknown;
}

export class TechniqueCorpusError extends Error {}

function objectsOf(bundle: unknown, at: number): StixObject[] {
  const b = bundle as { type?: unknown; objects?: unknown } | null;
  if (!b || typeof b !== 'object' || b.type !== 'bundle' || !Array.isArray(b.objects)) {
    throw new TechniqueCorpusError(`ATT&CK input ${at + 1} is not a STIX bundle (expected {"type":"bundle","objects":[...]})`);
  }
  return b.objects as StixObject[];
}

function attackId(o: StixObject): string | null {
  const refs = Array.isArray(o.external_references) ? (o.external_references as { source_name?: unknown; external_id?: unknown }[]) : [];
  const ref = refs.find((r) => typeof r?.source_name === 'string' && /^mitre-(?:attack|mobile-attack|ics-attack)$/.test(r.source_name));
  return typeof ref?.external_id === 'string' ? ref.external_id : null;
}

/** ATT&CK prose with its markup gone: links keep no text (a software name teaches nothing about the behaviour), citations and tags dropped. */
export function plainAttackText(s: string): string {
  return s
    .replace(/\(Citation:[^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\(https?:\/\/attack\.mitre\.org\/(?:software|groups|campaigns)\/[^)]*\)/g, 'the actor')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<\/?code>/g, '')
    .replace(/<[^>]{1,40}>/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Description sentences kept per technique: the opening ones define it, later ones wander into detection and variants. */
const DESCRIPTION_SENTENCES = 8;

/**
 * Reads STIX bundles (Enterprise, and Mobile or ICS if given) and labelled sentences into one corpus. Labels of the labelled
 * sentences are moved onto current ids (revoked-by), and dropped when retired or unknown.
 */
export function buildTechniqueCorpus(attackBundles: readonly unknown[], labelled: readonly LabelledSentence[] = []): TechniqueCorpus {
  if (attackBundles.length === 0) throw new TechniqueCorpusError('no ATT&CK bundle given: the technique model needs ATT&CK\'s own text');
  const byStix = new Map<string, { id: string; o: StixObject }>();
  const revokedBy = new Map<string, string>();
  const uses: StixObject[] = [];
  const versions: string[] = [];
  attackBundles.forEach((bundle, at) => {
    for (const o of objectsOf(bundle, at)) {
      if (o.type === 'attack-pattern' && typeof o.id === 'string') {
        const id = attackId(o);
        if (id) byStix.set(o.id, { id, o });
      } else if (o.type === 'relationship' && typeof o.source_ref === 'string' && typeof o.target_ref === 'string') {
        if (o.relationship_type === 'revoked-by') revokedBy.set(o.source_ref, o.target_ref);
        else if (o.relationship_type === 'uses' && o.revoked !== true && o.x_mitre_deprecated !== true) uses.push(o);
      } else if (o.type === 'x-mitre-collection' && typeof o.name === 'string') {
        versions.push(`${o.name} ${String(o.x_mitre_version ?? '')}`.trim());
      }
    }
  });
  const active = (o: StixObject) => o.revoked !== true && o.x_mitre_deprecated !== true;
  /** The active STIX id a (possibly revoked) attack-pattern stands for now, or null. */
  const current = (stix: string): string | null => {
    let at = stix;
    for (let hops = 0; hops < 10; hops++) {
      const t = byStix.get(at);
      if (t && active(t.o)) return at;
      const next = revokedBy.get(at);
      if (!next) return null;
      at = next;
    }
    return null;
  };

  const techniques = new Map<string, TechniqueInfo>();
  const descriptions = new Map<string, string>();
  const replacements: Record<string, string> = {};
  const retired = new Set<string>();
  for (const [stix, { id, o }] of byStix) {
    if (active(o)) {
      const tactics = Array.isArray(o.kill_chain_phases)
        ? (o.kill_chain_phases as { phase_name?: unknown }[]).map((k) => k.phase_name).filter((p): p is string => typeof p === 'string') : [];
      techniques.set(id, { id, name: String(o.name ?? id), parent: id.includes('.') ? id.split('.')[0] : null, tactics });
      if (typeof o.description === 'string') descriptions.set(id, o.description);
      continue;
    }
    const now = current(stix);
    if (now) replacements[id] = byStix.get(now)!.id;
    else retired.add(id);
  }
  // An active id wins over a retired one of the same number in another domain.
  for (const id of techniques.keys()) retired.delete(id);

  const examples: TrainingExample[] = [];
  for (const t of techniques.values()) {
    examples.push({ text: t.name, labels: [t.id], source: 'attack-name' });
    const text = plainAttackText(descriptions.get(t.id) ?? '');
    for (const s of splitSentences(text).slice(0, DESCRIPTION_SENTENCES)) {
      if (s.text.length >= 20) examples.push({ text: s.text, labels: [t.id], source: 'attack-description' });
    }
  }
  for (const r of uses) {
    const target = current(r.target_ref as string);
    if (!target || typeof r.description !== 'string') continue;
    const text = plainAttackText(r.description);
    if (text.length >= 15) examples.push({ text, labels: [byStix.get(target)!.id], source: 'attack-procedure' });
  }
  const mapLabel = (id: string): string | null => (techniques.has(id) ? id : replacements[id] ?? null);
  for (const s of labelled) {
    if (typeof s?.text !== 'string' || !Array.isArray(s.techniques)) {
      throw new TechniqueCorpusError('a labelled sentence needs "text" (string) and "techniques" (array of ids)');
    }
    const labels = [...new Set(s.techniques.map(mapLabel).filter((x): x is string => x !== null))];
    // A sentence whose only labels are retired says nothing reliable either way.
    if (labels.length === 0 && s.techniques.length > 0) continue;
    examples.push({ text: s.text, labels, source: 'labelled', ...(typeof s.report === 'string' ? { report: s.report } : {}) });
  }
  return {
    attackVersion: versions.join(', ') || 'unknown',
    techniques: [...techniques.values()].sort((a, b) => a.id.localeCompare(b.id)),
    replacements, retired: [...retired].sort(), examples,
  };
}
