/**
 * The facts of an item with several reports: each report's facts, their offsets moved into the item's text (the reports'
 * texts one after another), evidence marked with its document, and each fact kept once, from the earliest report that states it.
 */
import type { Document, Evidence, Facts } from '../domain/index.js';
import { documentText } from './index.js';

const SEPARATOR = '\n\n';

/** The item's text: every report's text in order, so offsets into it locate any fact in any report. */
export function itemText(documents: readonly Document[]): string {
  return documents.map(documentText).join(SEPARATOR);
}

/** The report an offset into itemText(documents) falls in: the inverse of the joining above. */
export function reportAt(documents: readonly Document[]): (offset: number) => Document | undefined {
  const ends: number[] = [];
  let at = 0;
  for (const d of documents) {
    at += documentText(d).length;
    ends.push(at);
    at += SEPARATOR.length;
  }
  return (offset) => documents[ends.findIndex((end) => offset < end)];
}

type Keyed<T> = (x: T) => string;

const KEYS: { [K in keyof Facts]?: Keyed<any> } = {
  organisations: (o) => `${o.name.toLowerCase()}|${o.role}`,
  products: (p) => p.name.toLowerCase(),
  cves: (x) => x.id, cwes: (x) => x.id, attackIds: (x) => x.id, techniques: (x) => x.id, weaknesses: (x) => x.id,
  cvssVectors: (v) => v.vector,
  advisories: (x) => x.id,
  iocs: (i) => `${i.type}|${i.value}`,
  dataTypes: (x) => x.id, statuses: (x) => x.id, sectors: (x) => x.id, signals: (x) => `${x.id}|${x.evidence.text}`, actors: (x) => x.id,
  dates: (d) => `${d.date}|${d.kind}`,
  attackRefs: (x) => x.id, countries: (c) => `${c.code}|${c.role}`,
};

function moved(e: Evidence, by: number, documentId: string): Evidence {
  return {
    ...e, documentId: e.documentId ?? documentId,
    ...(e.start !== undefined ? { start: e.start + by } : {}), ...(e.end !== undefined ? { end: e.end + by } : {}),
  };
}

/** Offsets of one report's facts moved by `by` characters, every evidence marked with the report. */
function shift(facts: Facts, by: number, documentId: string): Facts {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = k === 'evidence' ? moved(x as Evidence, by, documentId) : walk(x);
      // Raw IOCs carry their span directly.
      if ('raw' in o && typeof o.start === 'number' && typeof o.end === 'number') {
        out.start = (o.start as number) + by;
        out.end = (o.end as number) + by;
      }
      return out;
    }
    return v;
  };
  return walk(facts) as Facts;
}

export function mergeFacts(parts: readonly { document: Document; facts: Facts }[]): Facts {
  if (parts.length === 1) return parts[0].facts;
  let offset = 0;
  const shifted = parts.map(({ document, facts }) => {
    const f = shift(facts, offset, document.id);
    offset += documentText(document).length + SEPARATOR.length;
    return f;
  });
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shifted[0]) as (keyof Facts)[]) {
    const keyOf = KEYS[key];
    if (keyOf) {
      const seen = new Set<string>();
      out[key] = shifted.flatMap((f) => f[key] as unknown[]).filter((x) => {
        const k = keyOf(x);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    } else {
      // disruption, affectedCount: the largest stated value, which later reports usually revise upwards.
      const values = shifted.map((f) => f[key] as { value?: number; days?: number | null } | null).filter((x) => x !== null);
      out[key] = values.sort((a, b) => ((b!.value ?? b!.days ?? 0) - (a!.value ?? a!.days ?? 0)))[0] ?? null;
    }
  }
  return out as Facts;
}
