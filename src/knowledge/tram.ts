/** Reads CTID TRAM's public training data (data/tram2-data/*.json: sentences labelled with ATT&CK ids) into labelled sentences for technique models. */
import { createHash } from 'node:crypto';

export interface TramData {
  /** TRAM publishes no version number: the data's own digest stands for it. */
  readonly version: string;
  readonly sentences: { text: string; techniques: string[]; document: string | null }[];
  /** Technique id to the number of sentences labelled with it. */
  readonly techniques: Record<string, number>;
}

const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;

export function readTramData(texts: readonly string[]): TramData {
  const byText = new Map<string, { text: string; techniques: string[]; document: string | null }>();
  texts.forEach((text, fileIndex) => {
    const rows = JSON.parse(text) as unknown;
    if (!Array.isArray(rows)) throw new Error('TRAM training data is a JSON array of {text, label} rows; this is not an array');
    rows.forEach((r: any, i) => {
      if (!r || typeof r.text !== 'string') throw new Error(`row ${i} of file ${fileIndex + 1} has no text`);
      const labels: unknown[] = Array.isArray(r.labels) ? r.labels : r.label !== undefined ? [r.label] : [];
      const bad = labels.find((l) => typeof l !== 'string' || !TECHNIQUE.test(l));
      if (bad !== undefined) throw new Error(`row ${i} of file ${fileIndex + 1} has a label that is not an ATT&CK technique id: ${JSON.stringify(bad)}`);
      const key = `${r.doc_title ?? ''}\u0000${r.text}`;
      const at: TramData["sentences"][number] = byText.get(key) ?? { text: r.text, techniques: [], document: typeof r.doc_title === 'string' ? r.doc_title : null };
      for (const l of labels as string[]) if (!at.techniques.includes(l)) at.techniques.push(l);
      byText.set(key, at);
    });
  });
  const sentences = [...byText.values()];
  if (sentences.length === 0) throw new Error('TRAM training data holds no sentence');
  const techniques: Record<string, number> = {};
  for (const s of sentences) for (const t of s.techniques) techniques[t] = (techniques[t] ?? 0) + 1;
  const digest = createHash('sha256');
  for (const t of texts) digest.update(t);
  return { version: `sha256:${digest.digest('hex').slice(0, 12)}`, sentences, techniques };
}
