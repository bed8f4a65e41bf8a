/** Sigma rules for an item's non-benign indicators: one rule per indicator family and log source, from kb/detection-queries.yaml. */
import { v5 as uuidv5 } from 'uuid';
import YAML from 'yaml';
import type { Item, Severity } from '../domain/index.js';
import { type DetectionKb, detectionKb, type IndicatorKind, indicatorsOf, type SigmaTemplate } from './queries.js';

/** Rule ids are v5 UUIDs of item id and rule key in this namespace, so a re-export updates a rule instead of adding one. Never change it. */
const RULE_NAMESPACE = '59c47d71-f8ad-4634-8738-b79c47cec580';

const LEVELS: Record<Severity, string> = {
  CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low', INFORMATIONAL: 'informational',
};
const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MAX_TITLE = 256;

export interface SigmaOptions {
  /** Defaults to "Vigil". */
  readonly author?: string;
  /** YYYY-MM-DD; defaults to the item's analysis date, so the same item always gives the same rules. */
  readonly date?: string;
}

export interface SigmaFile {
  readonly filename: string;
  readonly yaml: string;
}

/** `*` and `?` are Sigma wildcards and `\` its escape: an indicator is matched literally, never as a pattern. */
export function sigmaValue(value: string): string {
  return value.replace(/[\\*?]/g, '\\$&');
}

/** Techniques the reporting describes, with their tactics; the playbook's expected techniques are hypotheses, not labels. */
function tags(item: Item): string[] {
  const observed = item.attack.filter((a) => a.basis === 'observed');
  const out = [
    ...observed.flatMap((a) => a.tactics.map((t) => `attack.${t.id}`)),
    ...observed.map((a) => `attack.${a.id.toLowerCase()}`),
    ...item.vulnerabilities.map((v) => `cve.${v.cve.replace(/^CVE-/i, '').toLowerCase()}`),
    'detection.emerging-threats',
  ];
  return [...new Set(out)].filter((t) => TAG.test(t));
}

function selections(template: SigmaTemplate, found: Readonly<Record<IndicatorKind, readonly string[]>>): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const [kind, specs] of Object.entries(template.match) as [IndicatorKind, NonNullable<SigmaTemplate['match'][IndicatorKind]>][]) {
    for (const spec of specs) {
      const values = found[kind].map((v) => sigmaValue(`${spec.prefix ?? ''}${v}`));
      if (values.length === 0) continue;
      // Keys of one selection are ANDed in Sigma, so each field is its own selection and the selections are ORed.
      byField.set(spec.field, [...new Set([...(byField.get(spec.field) ?? []), ...values])]);
    }
  }
  return byField;
}

function detection(byField: Map<string, string[]>): Record<string, unknown> {
  const entries = [...byField];
  if (entries.length === 1) {
    const [[field, values]] = entries;
    return { selection: { [field]: values.length === 1 ? values[0] : values }, condition: 'selection' };
  }
  const out: Record<string, unknown> = {};
  for (const [field, values] of entries) {
    let name = `selection_${field.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`;
    while (name in out) name += '_';
    out[name] = { [field]: values.length === 1 ? values[0] : values };
  }
  return { ...out, condition: '1 of selection_*' };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Values are single-quoted as in SigmaHQ, and the date too: a YAML 1.1 loader (PyYAML, js-yaml's default schema)
 * would read a plain 2026-07-14 as a date object, which the Sigma schema rejects.
 */
function dump(rule: Record<string, unknown>): string {
  const doc = new YAML.Document(rule, { version: '1.2' });
  (doc.get('date', true) as YAML.Scalar).type = 'QUOTE_SINGLE';
  const det = doc.get('detection', true) as YAML.YAMLMap;
  YAML.visit(det, {
    Scalar(key, node) {
      if (key !== 'key') node.type = 'QUOTE_SINGLE';
    },
  });
  (det.get('condition', true) as YAML.Scalar).type = 'PLAIN';
  return doc.toString({ indent: 4, lineWidth: 0 });
}

export function itemToSigma(item: Item, options: SigmaOptions = {}, kb: DetectionKb = detectionKb()): SigmaFile[] {
  const date = options.date ?? item.asOf;
  if (!DATE.test(date)) throw new Error(`itemToSigma: date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const found = indicatorsOf(item);
  const references = [...new Set(item.sources.map((s) => s.url).filter((u): u is string => !!u))];
  const outlets = [...new Set(item.sources.map((s) => s.outlet))].join(', ') || 'the reporting';
  const out: SigmaFile[] = [];
  for (const template of kb.sigma) {
    const byField = selections(template, found);
    if (byField.size === 0) continue;
    const kinds = (Object.keys(template.match) as IndicatorKind[]).filter((k) => found[k].length > 0);
    const count = new Set(kinds.flatMap((k) => found[k])).size;
    const rule: Record<string, unknown> = {
      title: truncate(`${template.title}: ${item.title}`, MAX_TITLE),
      id: uuidv5(`${item.id}/${template.key}`, RULE_NAMESPACE),
      status: 'experimental',
      description: `${template.title} (${kinds.join(', ')}): ${count} indicator${count === 1 ? '' : 's'} published in the reporting of `
        + `"${item.title}" by ${outlets} (Vigil item ${item.id}, analysis as of ${item.asOf}). `
        + 'References the reporting marked benign (documentation ranges, outlet, victim and well-known service domains) are left out.',
      ...(references.length > 0 ? { references } : {}),
      author: options.author ?? 'Vigil',
      date,
      tags: tags(item),
      logsource: { ...template.logsource },
      detection: detection(byField),
      falsepositives: [...template.falsepositives],
      level: LEVELS[item.severity.level],
    };
    out.push({ filename: `${item.id}_${template.key}.yml`.replace(/[^A-Za-z0-9_.-]/g, '_'), yaml: dump(rule) });
  }
  return out;
}
