/**
 * The knowledge base (kb/) against its schema and against the official catalogs it cites.
 *
 * Every kb file must satisfy src/knowledge/kb-schema.ts, and every identifier it cites must exist in the
 * official catalog with its exact official title: MITRE ATT&CK v18.1 (enterprise, not revoked or deprecated,
 * tactics as in the index), NIST SP 800-53 Rev. 5 (not withdrawn), MITRE CWE v4.15 (not deprecated, OWASP
 * Top 10 2021 categories as in the CWE index), NIST CSF 2.0 (active subcategories or categories, titled
 * with their statement or category title), CIS Controls (control number only, see below).
 *
 * Catalogs are read from ../shared/data relative to the repository root, or from $VIGIL_SHARED_DATA.
 * Run: npx tsx --test test/knowledge/kb-citations.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { alternatives } from '../../src/extract/name-rules.js';
import {
  ArchetypeSchema,
  LabelFileSchema,
  MetaSchema,
  PriorityWeightsSchema,
  RegulationFileSchema,
  StepFileSchema,
  TechniqueFileSchema,
  WeaknessFileSchema,
} from '../../src/knowledge/kb-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kbDir = path.join(root, 'kb');
const shared = process.env.VIGIL_SHARED_DATA ? path.resolve(process.env.VIGIL_SHARED_DATA) : path.resolve(root, '../shared/data');

const PHASES = ['containment', 'detection-analysis', 'eradication', 'recovery', 'post-incident'] as const;
const ARCHETYPE_IDS = [
  'third-party-saas-breach',
  'ransomware',
  'exploited-internet-facing-vulnerability',
  'credential-phishing-bec',
  'software-supply-chain',
  'vulnerability-advisory',
  'general-incident',
  'cloud-misconfiguration-exposure',
  'credential-stuffing-account-takeover',
  'insider-data-theft',
  'ddos',
  'malware-infostealer',
];
const DATA_TYPE_IDS = ['phi', 'pii', 'credentials', 'payment', 'financial', 'intellectual-property'];
const STATUS_IDS = [
  'no-claim', 'claimed-by-group', 'access-vector-undisclosed', 'patch-available', 'fix-pending', 'actively-exploited',
  'no-known-exploitation', 'sec-filing', 'kev-listed', 'law-enforcement-notified', 'forensics-engaged', 'contained',
  'notification-sent',
];
const SECTOR_IDS = [
  'healthcare', 'finance', 'manufacturing', 'technology', 'government', 'education', 'retail', 'energy', 'legal',
  'transportation', 'telecommunications',
];
const PRIORITY_FACTOR_IDS = ['severity', 'exploitation', 'automatable', 'data-sensitivity', 'relevance', 'corroboration', 'recency'];
const PLACEHOLDERS = new Set([
  'victim', 'vendor', 'product', 'products', 'actor', 'cves', 'window', 'windowStart', 'windowEnd', 'lookbackStart',
  'disclosed', 'discovered', 'asOf', 'dataTypes', 'iocCount', 'tenant', 'tenantHost',
]);

// ---------------------------------------------------------------------------------------------------------------
// Catalogs

function readJson<T = any>(rel: string): T {
  const file = path.join(shared, rel);
  assert.ok(existsSync(file), `reference catalog missing: ${file} (set VIGIL_SHARED_DATA to the shared/data folder)`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

interface AttackTechnique { name: string; tactics: string[]; deprecated: boolean; revoked: boolean }
const attackIndex = readJson<{ domains: { enterprise: { tactics: Record<string, string>; techniques: Record<string, AttackTechnique> } } }>(
  'attack/attack-index-18.1.json',
).domains.enterprise;
const nist80053 = readJson<{ controls: Record<string, { title: string; withdrawn?: boolean }> }>('nist-800-53/nist-800-53r5-controls.json').controls;
const cweIndex = readJson<{ entries: Record<string, { name: string; status: string; owaspTop10_2021?: string[] }> }>('cwe/cwe-index.json').entries;
const owasp = readJson<{ categories: Record<string, { title: string }> }>('cwe/owasp-top10-2021.json').categories;
const csf = readJson<{
  categories: Record<string, { title: string; active: boolean }>;
  subcategories: Record<string, { statement: string; active: boolean }>;
}>('nist-csf/csf-2.0.json');
// Only the 18 CIS Controls (v8.1) titles are available as data; the safeguards (N.M and title) are checked against
// kb/cis-safeguards.yaml, our transcription of the CIS Controls v8 publication, whose control numbers are checked here.
const cisControls = readJson<{ controls: Record<string, string> }>('cis/cis-controls-v8.1-control-titles.json').controls;

// ---------------------------------------------------------------------------------------------------------------
// kb files

function loadYaml(rel: string): unknown {
  const file = path.join(kbDir, rel);
  assert.ok(existsSync(file), `kb file missing: kb/${rel}`);
  return parse(readFileSync(file, 'utf8'));
}

function schemaErrors(schema: TSchema, data: unknown, file: string): string[] {
  return [...Value.Errors(schema, data)].map((e) => `kb/${file}: ${e.path || '/'}: ${e.message} (value: ${JSON.stringify(e.value)?.slice(0, 80)})`);
}

const archetypeFiles = existsSync(path.join(kbDir, 'archetypes'))
  ? readdirSync(path.join(kbDir, 'archetypes')).filter((f) => f.endsWith('.yaml')).sort()
  : [];
const archetypes = archetypeFiles.map((f) => ({ file: `archetypes/${f}`, data: loadYaml(`archetypes/${f}`) as any }));
const stepFiles = PHASES.map((phase) => ({ phase, file: `steps/${phase}.yaml`, data: loadYaml(`steps/${phase}.yaml`) as any[] }));
const techniques = { file: 'techniques.yaml', data: loadYaml('techniques.yaml') as any[] };
const weaknesses = { file: 'weaknesses.yaml', data: loadYaml('weaknesses.yaml') as any[] };
const labelFiles = ['data-types.yaml', 'statuses.yaml', 'sectors.yaml'].map((file) => ({ file, data: loadYaml(file) as any[] }));
const regulations = { file: 'regulations.yaml', data: loadYaml('regulations.yaml') as any[] };
const priority = { file: 'priority.yaml', data: loadYaml('priority.yaml') as any };
const meta = { file: 'meta.yaml', data: loadYaml('meta.yaml') as any };

const idsOf = (file: string) => new Set((labelFiles.find((l) => l.file === file)!.data ?? []).map((r: any) => r.id));

/** Fails with every problem at once, one per line. */
function report(problems: string[], what: string): void {
  assert.equal(problems.length, 0, `${problems.length} ${what} problem(s):\n  ${problems.join('\n  ')}`);
}

/** True when a regex source has a `|` outside any group or character class. */
const hasTopLevelAlternation = (source: string): boolean => alternatives(source).length > 1;

/** Every string under `node` with its JSON path. */
function* strings(node: unknown, at: string): Generator<[string, string]> {
  if (typeof node === 'string') yield [at, node];
  else if (Array.isArray(node)) for (const [i, v] of node.entries()) yield* strings(v, `${at}[${i}]`);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) yield* strings(v, `${at}.${k}`);
}

// ---------------------------------------------------------------------------------------------------------------

describe('kb schema', () => {
  it('every archetype file matches ArchetypeSchema and the required archetypes exist', () => {
    const problems = archetypes.flatMap(({ file, data }) => schemaErrors(ArchetypeSchema, data, file));
    for (const { file, data } of archetypes) {
      if (data?.id && `archetypes/${data.id}.yaml` !== file) problems.push(`kb/${file}: id "${data.id}" does not match the file name`);
    }
    const ids = archetypes.map((a) => a.data?.id);
    for (const id of ARCHETYPE_IDS) if (!ids.includes(id)) problems.push(`kb/archetypes: archetype "${id}" missing`);
    report(problems, 'archetype schema');
  });

  it('every step file matches StepFileSchema', () => {
    report(stepFiles.flatMap(({ file, data }) => schemaErrors(StepFileSchema, data, file)), 'step schema');
  });

  it('techniques, weaknesses, labels, regulations, priority and meta match their schemas', () => {
    const problems = [
      ...schemaErrors(TechniqueFileSchema, techniques.data, techniques.file),
      ...schemaErrors(WeaknessFileSchema, weaknesses.data, weaknesses.file),
      ...labelFiles.flatMap(({ file, data }) => schemaErrors(LabelFileSchema, data, file)),
      ...schemaErrors(RegulationFileSchema, regulations.data, regulations.file),
      ...schemaErrors(PriorityWeightsSchema, priority.data, priority.file),
      ...schemaErrors(MetaSchema, meta.data, meta.file),
    ];
    report(problems, 'schema');
  });

  it('ids are unique within each file and the required label ids exist', () => {
    const problems: string[] = [];
    const lists: { file: string; data: any[] }[] = [techniques, weaknesses, ...labelFiles, regulations];
    for (const { file, data } of lists) {
      const seen = new Set<string>();
      for (const [i, e] of (data ?? []).entries()) {
        if (seen.has(e.id)) problems.push(`kb/${file}[${i}]: duplicate id "${e.id}"`);
        seen.add(e.id);
      }
    }
    const required: Record<string, string[]> = { 'data-types.yaml': DATA_TYPE_IDS, 'statuses.yaml': STATUS_IDS, 'sectors.yaml': SECTOR_IDS };
    for (const [file, ids] of Object.entries(required)) {
      const have = idsOf(file);
      for (const id of ids) if (!have.has(id)) problems.push(`kb/${file}: required id "${id}" missing`);
    }
    const dataTypes = labelFiles.find((l) => l.file === 'data-types.yaml')!.data ?? [];
    for (const [i, r] of dataTypes.entries()) {
      if (typeof r.sensitivity !== 'number') problems.push(`kb/data-types.yaml[${i}] ${r.id}: sensitivity missing`);
    }
    report(problems, 'id');
  });

  it('priority weights are the six factors, sum to 1, and triage thresholds are ordered', () => {
    const problems: string[] = [];
    const factors: any[] = priority.data?.factors ?? [];
    const ids = factors.map((f) => f.id);
    if (JSON.stringify([...ids].sort()) !== JSON.stringify([...PRIORITY_FACTOR_IDS].sort())) {
      problems.push(`kb/priority.yaml factors: ids ${JSON.stringify(ids)} differ from ${JSON.stringify(PRIORITY_FACTOR_IDS)}`);
    }
    const sum = factors.reduce((s, f) => s + f.weight, 0);
    if (Math.abs(sum - 1) > 1e-9) problems.push(`kb/priority.yaml factors: weights sum to ${sum}, not 1`);
    const triage: any[] = priority.data?.triage ?? [];
    const levels = ['IMMEDIATE', 'URGENT', 'ELEVATED', 'ROUTINE'];
    for (const level of levels) if (!triage.some((t) => t.level === level)) problems.push(`kb/priority.yaml triage: level ${level} missing`);
    const byLevel = levels.map((l) => triage.find((t) => t.level === l)?.minPriority ?? NaN);
    for (let i = 1; i < byLevel.length; i++) {
      if (!(byLevel[i - 1] > byLevel[i])) problems.push(`kb/priority.yaml triage: ${levels[i - 1]} (${byLevel[i - 1]}) must be above ${levels[i]} (${byLevel[i]})`);
    }
    if (byLevel[3] !== 0) problems.push('kb/priority.yaml triage: ROUTINE must start at 0');
    report(problems, 'priority');
  });
});

describe('kb citations against the official catalogs', () => {
  function checkTechnique(where: string, id: string, name: string, tactics?: { id: string; title: string }[]): string[] {
    const t = attackIndex.techniques[id];
    if (!t) return [`${where} ${id}: not an ATT&CK v18.1 enterprise technique`];
    const out: string[] = [];
    if (t.revoked) out.push(`${where} ${id}: revoked in ATT&CK v18.1`);
    if (t.deprecated) out.push(`${where} ${id}: deprecated in ATT&CK v18.1`);
    if (t.name !== name) out.push(`${where} ${id}: name "${name}" should be "${t.name}"`);
    if (tactics) {
      const listed = tactics.map((x) => x.id).sort();
      const official = [...t.tactics].sort();
      if (JSON.stringify(listed) !== JSON.stringify(official)) out.push(`${where} ${id}: tactics ${JSON.stringify(listed)} should be ${JSON.stringify(official)}`);
      for (const x of tactics) {
        const title = attackIndex.tactics[x.id];
        if (title && x.title !== title) out.push(`${where} ${id}: tactic ${x.id} title "${x.title}" should be "${title}"`);
      }
    }
    return out;
  }

  it('ATT&CK techniques exist, are current, and carry their exact names and tactics', () => {
    const problems: string[] = [];
    for (const [i, t] of (techniques.data ?? []).entries()) problems.push(...checkTechnique(`kb/techniques.yaml[${i}]`, t.id, t.name, t.tactics));
    for (const { file, data } of archetypes) {
      for (const [i, t] of (data?.techniques ?? []).entries()) problems.push(...checkTechnique(`kb/${file} techniques[${i}]`, t.id, t.title));
    }
    const n = techniques.data?.length ?? 0;
    if (n < 35 || n > 65) problems.push(`kb/techniques.yaml: ${n} techniques, expected 35-65`);
    for (const { file, data } of archetypes) {
      const k = data?.techniques?.length ?? 0;
      if (k < 4 || k > 8) problems.push(`kb/${file} techniques: ${k} entries, expected 4-8`);
    }
    report(problems, 'ATT&CK');
  });

  it('NIST SP 800-53 Rev. 5 controls exist, are not withdrawn, and carry their exact titles', () => {
    const problems: string[] = [];
    for (const { file, data } of stepFiles) {
      for (const [i, s] of (data ?? []).entries()) {
        for (const c of s.controls ?? []) {
          const where = `kb/${file}[${i}] ${s.id} controls`;
          const entry = nist80053[c.id];
          if (!entry) problems.push(`${where} ${c.id}: not an SP 800-53r5 control`);
          else if (entry.withdrawn) problems.push(`${where} ${c.id}: withdrawn`);
          else if (entry.title !== c.title) problems.push(`${where} ${c.id}: title "${c.title}" should be "${entry.title}"`);
        }
      }
    }
    report(problems, 'SP 800-53');
  });

  it('CWE entries exist, are not deprecated, carry exact names and the OWASP 2021 categories of the CWE index', () => {
    const problems: string[] = [];
    for (const [i, w] of (weaknesses.data ?? []).entries()) {
      const where = `kb/weaknesses.yaml[${i}] ${w.id}`;
      const entry = cweIndex[w.id];
      if (!entry) { problems.push(`${where}: not in CWE v4.15`); continue; }
      if (entry.status === 'Deprecated' || entry.name.startsWith('DEPRECATED')) problems.push(`${where}: deprecated`);
      if (entry.name !== w.name) problems.push(`${where}: name "${w.name}" should be "${entry.name}"`);
      const official = [...(entry.owaspTop10_2021 ?? [])].sort();
      const listed = (w.owasp ?? []).map((o: any) => o.id).sort();
      if (JSON.stringify(official) !== JSON.stringify(listed)) problems.push(`${where}: owasp ${JSON.stringify(listed)} should be ${JSON.stringify(official)}`);
      for (const o of w.owasp ?? []) {
        const cat = owasp[o.id];
        if (!cat) problems.push(`${where}: owasp ${o.id} is not an OWASP Top 10 2021 category`);
        else if (cat.title !== o.title) problems.push(`${where}: owasp ${o.id} title "${o.title}" should be "${cat.title}"`);
      }
    }
    const n = weaknesses.data?.length ?? 0;
    if (n < 25 || n > 35) problems.push(`kb/weaknesses.yaml: ${n} weaknesses, expected 25-35`);
    report(problems, 'CWE');
  });

  it('CSF 2.0 ids are active subcategories (statement) or categories (title)', () => {
    const problems: string[] = [];
    for (const { file, data } of stepFiles) {
      for (const [i, s] of (data ?? []).entries()) {
        for (const c of s.csf ?? []) {
          const where = `kb/${file}[${i}] ${s.id} csf ${c.id}`;
          const sub = csf.subcategories[c.id];
          const cat = csf.categories[c.id];
          if (sub) {
            if (!sub.active) problems.push(`${where}: not an active CSF 2.0 subcategory`);
            else if (sub.statement !== c.title) problems.push(`${where}: title "${c.title}" should be the statement "${sub.statement}"`);
          } else if (cat) {
            if (!cat.active) problems.push(`${where}: not an active CSF 2.0 category`);
            else if (cat.title !== c.title) problems.push(`${where}: title "${c.title}" should be "${cat.title}"`);
          } else problems.push(`${where}: not a CSF 2.0 identifier`);
        }
      }
    }
    report(problems, 'CSF 2.0');
  });

  it('CIS safeguards are N.M with an existing control N, listed in kb/cis-safeguards.yaml with the same title', () => {
    const problems: string[] = [];
    const table = loadYaml('cis-safeguards.yaml') as { safeguards: { id: string; title: string }[] };
    const cisTable = new Map(table.safeguards.map((c) => [c.id, c.title]));
    for (const c of table.safeguards) if (!cisControls[c.id.split('.')[0]]) problems.push(`kb/cis-safeguards.yaml ${c.id}: CIS Control ${c.id.split('.')[0]} does not exist`);
    if (cisTable.size !== table.safeguards.length) problems.push('kb/cis-safeguards.yaml: duplicate safeguard ids');
    const titles = new Map<string, { title: string; where: string }>();
    for (const { file, data } of stepFiles) {
      for (const [i, s] of (data ?? []).entries()) {
        for (const c of s.cis ?? []) {
          const where = `kb/${file}[${i}] ${s.id} cis ${c.id}`;
          const m = /^(\d{1,2})\.(\d{1,2})$/.exec(c.id);
          if (!m) { problems.push(`${where}: not a safeguard id N.M`); continue; }
          if (!cisControls[m[1]]) problems.push(`${where}: CIS Control ${m[1]} does not exist`);
          const listed = cisTable.get(c.id);
          if (listed === undefined) problems.push(`${where}: not in kb/cis-safeguards.yaml`);
          else if (listed !== c.title) problems.push(`${where}: title "${c.title}" should be "${listed}" (kb/cis-safeguards.yaml)`);
          const prev = titles.get(c.id);
          if (prev && prev.title !== c.title) problems.push(`${where}: title "${c.title}" differs from "${prev.title}" at ${prev.where}`);
          if (!prev) titles.set(c.id, { title: c.title, where });
        }
      }
    }
    report(problems, 'CIS');
  });

  it('SP 800-61r3 references name Rev. 3 and a CSF 2.0 function', () => {
    const problems: string[] = [];
    for (const { file, data } of stepFiles) {
      for (const [i, s] of (data ?? []).entries()) {
        if (!/^SP 800-61r3 §/.test(s.sp80061r3 ?? '')) problems.push(`kb/${file}[${i}] ${s.id} sp80061r3: should start with "SP 800-61r3 §"`);
        if (!/\((GV|ID|PR|DE|RS|RC)\.[A-Z]{2}/.test(s.sp80061r3 ?? '')) problems.push(`kb/${file}[${i}] ${s.id} sp80061r3: no CSF 2.0 category in parentheses`);
      }
    }
    report(problems, 'SP 800-61r3');
  });
});

describe('kb internal consistency', () => {
  it('every signal pattern compiles as a case-insensitive regex and does not match an empty sentence', () => {
    const problems: string[] = [];
    const all = [
      ...archetypes.map(({ file, data }) => ({ file, rules: [{ id: data?.id, signals: data?.signals ?? [] }] })),
      { file: techniques.file, rules: techniques.data ?? [] },
      { file: weaknesses.file, rules: weaknesses.data ?? [] },
      ...labelFiles.map(({ file, data }) => ({ file, rules: data ?? [] })),
    ];
    for (const { file, rules } of all) {
      for (const r of rules) {
        for (const [j, s] of (r.signals ?? []).entries()) {
          try {
            const re = new RegExp(s.pattern, 'i');
            if (re.test('') || re.test(' ')) problems.push(`kb/${file} ${r.id} signals[${j}]: /${s.pattern}/ matches an empty sentence`);
            if (s.pattern.startsWith('^(?!') && hasTopLevelAlternation(s.pattern)) {
              problems.push(`kb/${file} ${r.id} signals[${j}]: the leading (?!...) guard covers only the first alternative of /${s.pattern}/; wrap the alternatives in a group`);
            }
          } catch (e) {
            problems.push(`kb/${file} ${r.id} signals[${j}]: /${s.pattern}/ does not compile: ${(e as Error).message}`);
          }
        }
        if (file !== 'archetypes/general-incident.yaml' && (r.signals ?? []).length === 0) problems.push(`kb/${file} ${r.id}: no signals`);
      }
    }
    report(problems, 'regex');
  });

  it('step ids are unique, each step sits in its phase file, and archetypes reference existing steps of the right phase', () => {
    const problems: string[] = [];
    const where = new Map<string, string>();
    for (const { phase, file, data } of stepFiles) {
      for (const [i, s] of (data ?? []).entries()) {
        if (s.phase !== phase) problems.push(`kb/${file}[${i}] ${s.id}: phase "${s.phase}" but the file is ${phase}`);
        if (where.has(s.id)) problems.push(`kb/${file}[${i}] ${s.id}: duplicate step id (also in ${where.get(s.id)})`);
        where.set(s.id, phase);
      }
    }
    const used = new Set<string>();
    for (const { file, data } of archetypes) {
      for (const phase of PHASES) {
        const list: string[] = (data?.steps?.[phase] ?? []).map((ref: string | { step: string }) => (typeof ref === 'string' ? ref : ref.step));
        for (const id of list) {
          used.add(id);
          const at = where.get(id);
          if (!at) problems.push(`kb/${file} steps.${phase}: step "${id}" does not exist`);
          else if (at !== phase) problems.push(`kb/${file} steps.${phase}: step "${id}" is in steps/${at}.yaml, not steps/${phase}.yaml`);
        }
        // The engine takes the first step whose conditions hold: the last candidate must always hold.
        const last = stepFiles.find((f) => f.phase === phase)!.data?.find((s: any) => s.id === list[list.length - 1]);
        if (last?.when) problems.push(`kb/${file} steps.${phase}: last candidate "${last.id}" is conditional; end with an unconditional step`);
      }
    }
    for (const id of where.keys()) if (!used.has(id)) problems.push(`kb/steps: step "${id}" is referenced by no archetype`);
    report(problems, 'step reference');
  });

  it('conditions refer to known data types, statuses, sectors and archetypes', () => {
    const problems: string[] = [];
    const known: Record<string, Set<string>> = {
      dataTypes: idsOf('data-types.yaml'),
      statuses: idsOf('statuses.yaml'),
      sectors: idsOf('sectors.yaml'),
      archetypes: new Set(archetypes.map((a) => a.data?.id)),
    };
    const check = (where: string, when: any) => {
      if (!when) return;
      for (const [key, ids] of Object.entries(known)) {
        for (const id of when[key] ?? []) if (!ids.has(id)) problems.push(`${where} when.${key}: unknown id "${id}"`);
      }
    };
    for (const { file, data } of stepFiles) for (const [i, s] of (data ?? []).entries()) check(`kb/${file}[${i}] ${s.id}`, s.when);
    for (const { file, data } of archetypes) {
      for (const phase of PHASES) for (const [i, ref] of (data?.steps?.[phase] ?? []).entries()) if (typeof ref !== 'string') check(`kb/${file} steps.${phase}[${i}]`, ref.when);
      for (const [i, a] of (data?.artifacts ?? []).entries()) check(`kb/${file} artifacts[${i}]`, a.when);
      for (const [i, e] of (data?.escalation ?? []).entries()) check(`kb/${file} escalation[${i}]`, e.when);
    }
    for (const [i, r] of (regulations.data ?? []).entries()) check(`kb/regulations.yaml[${i}] ${r.id}`, r.when);
    report(problems, 'condition');
  });

  it('template text uses only the allowed placeholders, other text has no braces', () => {
    const problems: string[] = [];
    // Fields the engine fills in; braces a command needs are doubled there ({{ }}).
    const templateField = /\.(action|summaryLead|compensating|standard|condition)$|\.(recovery|preserveEvidence)\[\d+\]$|\.artifacts\[\d+\]\.(window|indicates)$/;
    const checkTemplate = (where: string, text: string) => {
      const stripped = text.replace(/\{\{|\}\}/g, '');
      for (const m of stripped.matchAll(/\{([^{}]*)\}/g)) {
        if (!PLACEHOLDERS.has(m[1])) problems.push(`${where}: placeholder {${m[1]}} is not allowed`);
      }
      const rest = stripped.replace(/\{[^{}]*\}/g, '');
      if (/[{}]/.test(rest)) problems.push(`${where}: unbalanced brace (double it as {{ or }} in commands)`);
    };
    const files: { file: string; data: unknown }[] = [
      ...archetypes, ...stepFiles, techniques, weaknesses, ...labelFiles, regulations, priority, meta,
    ];
    for (const { file, data } of files) {
      for (const [at, text] of strings(data, '')) {
        if (/\.pattern$/.test(at)) continue; // regexes may use {n,m}
        const where = `kb/${file}${at}`;
        if (templateField.test(at) && (file.startsWith('archetypes/') || file.startsWith('steps/'))) checkTemplate(where, text);
        else if (/[{}]/.test(text)) problems.push(`${where}: braces in a field that is not a template`);
      }
    }
    report(problems, 'placeholder');
  });

  it('archetypes have the phase candidates, recovery, artifacts and escalation the item page needs', () => {
    const problems: string[] = [];
    const precedence: Record<string, number> = {
      'software-supply-chain': 10, ransomware: 20, 'exploited-internet-facing-vulnerability': 30, 'third-party-saas-breach': 40,
      'credential-phishing-bec': 50, 'vulnerability-advisory': 80, 'general-incident': 90,
    };
    for (const { file, data } of archetypes) {
      if (!data) continue;
      if (precedence[data.id] !== undefined && data.precedence !== precedence[data.id]) problems.push(`kb/${file} precedence: ${data.precedence}, expected ${precedence[data.id]}`);
      const n = (k: string) => data[k]?.length ?? 0;
      if (n('recovery') < 3 || n('recovery') > 5) problems.push(`kb/${file} recovery: ${n('recovery')} paragraphs, expected 3-5`);
      if (n('artifacts') < 5 || n('artifacts') > 8) problems.push(`kb/${file} artifacts: ${n('artifacts')} entries, expected 5-8`);
      if (n('escalation') < 3 || n('escalation') > 5) problems.push(`kb/${file} escalation: ${n('escalation')} entries, expected 3-5`);
      if (data.id === 'general-incident' && data.minScore !== 0) problems.push(`kb/${file} minScore: the fallback must be 0`);
    }
    report(problems, 'archetype content');
  });
});
