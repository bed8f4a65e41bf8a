/** Loads and validates our knowledge base (kb/): every file schema-checked, every pattern compiled, every reference resolved. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import YAML from 'yaml';
import { PHASES, type Phase } from '../domain/item.js';
import { KbError } from './kb-error.js';
import {
  type Archetype, type BenignDomain, BenignDomainFileSchema, ArchetypeSchema, type LabelRule, LabelFileSchema, type Meta, MetaSchema, type PriorityWeights,
  PriorityWeightsSchema, type Regulation, RegulationFileSchema, type Step, StepFileSchema, type Technique,
  type AdvisoryIdRule, AdvisoryIdFileSchema, type StoryRules, StoryRulesSchema, TechniqueFileSchema, type Weakness, WeaknessFileSchema,
  type CisSafeguardFile, CisSafeguardFileSchema, type CompensatingControl, type CompensatingFile, CompensatingFileSchema, type Stack, stepRefId,
  type Country, CountryFileSchema,
} from './kb-schema.js';
import { type NarrativeRules, NarrativeRulesSchema, type Regime, RegimeFileSchema, type SsvcRules, SsvcRulesSchema } from './kb-schema.js';
import { unknownPlaceholders } from './template.js';

export interface Kb {
  /** meta.version plus a hash of every kb file, recorded in each enrichment. */
  readonly version: string;
  readonly dir: string;
  readonly meta: Meta;
  readonly archetypes: readonly Archetype[];
  readonly steps: ReadonlyMap<string, Step>;
  readonly techniques: ReadonlyMap<string, Technique>;
  readonly weaknesses: readonly Weakness[];
  readonly dataTypes: readonly LabelRule[];
  readonly statuses: readonly LabelRule[];
  readonly sectors: readonly LabelRule[];
  readonly regulations: readonly Regulation[];
  readonly priority: PriorityWeights;
  readonly benignDomains: readonly BenignDomain[];
  readonly stories: StoryRules;
  readonly advisoryIds: readonly AdvisoryIdRule[];
  /** Compensating controls by "stack/id", each with its stack and the vendor patterns that say a team runs it. */
  readonly compensating: ReadonlyMap<string, StackControl>;
  /** CIS Controls v8 safeguard id to title, from kb/cis-safeguards.yaml. */
  readonly cisSafeguards: ReadonlyMap<string, string>;
  readonly ssvc: SsvcRules;
  readonly regimes: readonly Regime[];
  readonly narrative: NarrativeRules;
  readonly countries: readonly Country[];
}

export interface StackControl {
  readonly stack: Stack;
  readonly stackLabel: string;
  readonly vendors: readonly string[];
  readonly control: CompensatingControl;
}

export const DEFAULT_KB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../kb');

function readYaml(dir: string, rel: string): unknown {
  const file = path.join(dir, rel);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new KbError(rel, '', 'cannot be read', { cause });
  }
  try {
    return YAML.parse(text, { version: '1.2', schema: 'core' });
  } catch (cause) {
    throw new KbError(rel, '', `is not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
}

function check<T>(schema: TSchema, value: unknown, rel: string): T {
  const first = Value.Errors(schema, value).First();
  if (first) throw new KbError(rel, first.path, `${first.message} (got ${JSON.stringify(first.value)?.slice(0, 80)})`);
  return value as T;
}

/** Every string field of a kb value, with its JSON pointer, for pattern and placeholder checks. */
function* strings(value: unknown, pointer = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [pointer, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${pointer}/${i}`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, `${pointer}/${k}`);
}

function checkText(value: unknown, rel: string): void {
  for (const [pointer, text] of strings(value)) {
    if (pointer.endsWith('/pattern')) {
      try {
        new RegExp(text, 'i');
      } catch (cause) {
        throw new KbError(rel, pointer, `invalid regular expression: ${(cause as Error).message}`, { cause });
      }
    } else if (!/\/(queries\/\d+\/body|id|title|name)$/.test(pointer)) {
      const bad = unknownPlaceholders(text);
      if (bad.length > 0) throw new KbError(rel, pointer, `unknown placeholder ${bad.map((b) => `{${b}}`).join(', ')}`);
    }
  }
}

function load<T>(dir: string, rel: string, schema: TSchema, hash: ReturnType<typeof createHash>): T {
  const value = readYaml(dir, rel);
  hash.update(rel).update(JSON.stringify(value));
  const typed = check<T>(schema, value, rel);
  checkText(typed, rel);
  return typed;
}

function listYaml(dir: string, sub: string): string[] {
  const folder = path.join(dir, sub);
  if (!fs.existsSync(folder)) throw new KbError(sub, '', 'folder is missing');
  return fs.readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => `${sub}/${f}`);
}

/** Story rules with their patterns compiled once, so a bad regular expression stops start-up with its place. */
function loadStoryRules(dir: string, hash: ReturnType<typeof createHash>): StoryRules {
  const rules = load<StoryRules>(dir, 'stories.yaml', StoryRulesSchema, hash);
  for (const [i, p] of rules.digestTitles.entries()) {
    try {
      new RegExp(p, 'i');
    } catch (e) {
      throw new KbError('stories.yaml', `/digestTitles/${i}`, `not a valid regular expression: ${(e as Error).message}`);
    }
  }
  return rules;
}

function loadAdvisoryIds(dir: string, hash: ReturnType<typeof createHash>): AdvisoryIdRule[] {
  const rules = load<AdvisoryIdRule[]>(dir, 'advisory-ids.yaml', AdvisoryIdFileSchema, hash);
  for (const [i, r] of rules.entries()) {
    try {
      new RegExp(r.pattern);
    } catch (e) {
      throw new KbError('advisory-ids.yaml', `/${i}/pattern`, `not a valid regular expression: ${(e as Error).message}`);
    }
  }
  return rules;
}

/** kb/compensating/<stack>.yaml: each file one stack, its file name the stack's id, each control either commands or a query. */
function loadCompensating(dir: string, hash: ReturnType<typeof createHash>): Map<string, StackControl> {
  const out = new Map<string, StackControl>();
  for (const rel of listYaml(dir, 'compensating')) {
    const file = load<CompensatingFile>(dir, rel, CompensatingFileSchema, hash);
    if (`compensating/${file.stack}.yaml` !== rel) throw new KbError(rel, '/stack', `stack "${file.stack}" does not match the file name`);
    for (const [i, v] of file.vendors.entries()) {
      try {
        new RegExp(v, 'i');
      } catch (e) {
        throw new KbError(rel, `/vendors/${i}`, `not a valid regular expression: ${(e as Error).message}`);
      }
    }
    for (const [i, control] of file.controls.entries()) {
      const key = `${file.stack}/${control.id}`;
      if (out.has(key)) throw new KbError(rel, `/controls/${i}/id`, `duplicate control id "${control.id}"`);
      if (!control.commands === !control.query) throw new KbError(rel, `/controls/${i}`, 'a control has either commands or a query, not both or neither');
      out.set(key, { stack: file.stack, stackLabel: file.label, vendors: file.vendors, control });
    }
  }
  return out;
}

/** The weights must add up to 1, so that priority stays in [0, 1] without clipping hiding a mistake. */
function loadPriority(dir: string, hash: ReturnType<typeof createHash>): PriorityWeights {
  const p = load<PriorityWeights>(dir, 'priority.yaml', PriorityWeightsSchema, hash);
  const sum = p.factors.reduce((a, f) => a + f.weight, 0);
  if (Math.abs(sum - 1) > 1e-9) throw new KbError('priority.yaml', '/factors', `the factor weights add up to ${sum.toFixed(4)}, not 1`);
  return p;
}

/** The SSVC tree must hold every combination of the four decision points exactly once. */
function loadSsvc(dir: string, hash: ReturnType<typeof createHash>): SsvcRules {
  const rules = load<SsvcRules>(dir, 'ssvc.yaml', SsvcRulesSchema, hash);
  const seen = new Set<string>();
  for (const [i, r] of rules.tree.entries()) {
    const key = `${r.exploitation}/${r.automatable}/${r.technicalImpact}/${r.missionWellbeing}`;
    if (seen.has(key)) throw new KbError('ssvc.yaml', `/tree/${i}`, `the combination ${key} appears twice`);
    seen.add(key);
  }
  const pairs = new Set(rules.missionWellbeing.map((m) => `${m.missionPrevalence}/${m.publicWellbeing}`));
  if (pairs.size !== rules.missionWellbeing.length) throw new KbError('ssvc.yaml', '/missionWellbeing', 'a Mission Prevalence and Public Well-being pair appears twice');
  return rules;
}

/** A follow-up clock (`after`) must name a regulation earlier in the file, so clocks are computed in one pass. */
function loadRegulations(dir: string, hash: ReturnType<typeof createHash>): Regulation[] {
  const regulations = load<Regulation[]>(dir, 'regulations.yaml', RegulationFileSchema, hash);
  for (const [i, r] of regulations.entries()) {
    if (regulations.findIndex((g) => g.id === r.id) !== i) throw new KbError('regulations.yaml', `/${i}/id`, `duplicate regulation id "${r.id}"`);
    const after = r.clock.after;
    if (after !== undefined && !regulations.slice(0, i).some((g) => g.id === after)) {
      throw new KbError('regulations.yaml', `/${i}/clock/after`, `"${after}" is not a regulation earlier in the file`);
    }
  }
  return regulations;
}

function loadRegimes(dir: string, hash: ReturnType<typeof createHash>, regulations: readonly Regulation[]): Regime[] {
  const regimes = load<Regime[]>(dir, 'regimes.yaml', RegimeFileSchema, hash);
  for (const [i, r] of regimes.entries()) {
    for (const [j, id] of r.regulations.entries()) {
      if (!regulations.some((g) => g.id === id)) throw new KbError('regimes.yaml', `/${i}/regulations/${j}`, `unknown regulation "${id}" (not in regulations.yaml)`);
    }
  }
  return regimes;
}

function loadNarrative(dir: string, hash: ReturnType<typeof createHash>, archetypes: readonly Archetype[]): NarrativeRules {
  const rules = load<NarrativeRules>(dir, 'narrative.yaml', NarrativeRulesSchema, hash);
  for (const id of Object.keys(rules.archetypes)) {
    if (!archetypes.some((a) => a.id === id)) throw new KbError('narrative.yaml', `/archetypes/${id}`, `unknown archetype "${id}"`);
  }
  return rules;
}

/** Each code once, and each name, short form or demonym naming one country only. */
function loadCountries(dir: string, hash: ReturnType<typeof createHash>): Country[] {
  const countries = load<Country[]>(dir, 'countries.yaml', CountryFileSchema, hash);
  const codes = new Set<string>();
  const names = new Map<string, string>();
  for (const [i, c] of countries.entries()) {
    if (codes.has(c.code)) throw new KbError('countries.yaml', `/${i}/code`, `duplicate country code "${c.code}"`);
    codes.add(c.code);
    for (const n of [c.name, ...(c.aliases ?? []), ...(c.demonyms ?? [])]) {
      const other = names.get(n);
      if (other && other !== c.code) throw new KbError('countries.yaml', `/${i}`, `"${n}" names both ${other} and ${c.code}`);
      names.set(n, c.code);
    }
  }
  return countries;
}

export function loadKb(dir: string = DEFAULT_KB_DIR): Kb {
  const hash = createHash('sha256');
  const meta = load<Meta>(dir, 'meta.yaml', MetaSchema, hash);
  const steps = new Map<string, Step>();
  for (const phase of PHASES) {
    const rel = `steps/${phase}.yaml`;
    for (const [i, step] of load<Step[]>(dir, rel, StepFileSchema, hash).entries()) {
      if (step.phase !== phase) throw new KbError(rel, `/${i}/phase`, `step "${step.id}" is in ${rel} but says phase ${step.phase}`);
      if (steps.has(step.id)) throw new KbError(rel, `/${i}/id`, `duplicate step id "${step.id}"`);
      steps.set(step.id, step);
    }
  }
  const compensating = loadCompensating(dir, hash);
  const cis = load<CisSafeguardFile>(dir, 'cis-safeguards.yaml', CisSafeguardFileSchema, hash);
  const cisSafeguards = new Map(cis.safeguards.map((c) => [c.id, c.title]));
  for (const step of steps.values()) {
    const rel = `steps/${step.phase}.yaml`;
    for (const ref of step.stacks) if (!compensating.has(ref)) throw new KbError(rel, `/${step.id}/stacks`, `unknown compensating control "${ref}"`);
    for (const c of step.cis) {
      const title = cisSafeguards.get(c.id);
      if (title === undefined) throw new KbError(rel, `/${step.id}/cis`, `CIS safeguard ${c.id} is not in cis-safeguards.yaml`);
      if (title !== c.title) throw new KbError(rel, `/${step.id}/cis`, `CIS safeguard ${c.id} is titled "${title}", not "${c.title}"`);
    }
    if (step.tool && !step.standard) throw new KbError(rel, `/${step.id}/standard`, `step names tool "${step.tool}" but has no standard control`);
  }
  const archetypes = listYaml(dir, 'archetypes').map((rel) => {
    const a = load<Archetype>(dir, rel, ArchetypeSchema, hash);
    for (const phase of PHASES) {
      for (const [i, ref] of a.steps[phase].entries()) {
        const id = stepRefId(ref);
        const step = steps.get(id);
        if (!step) throw new KbError(rel, `/steps/${phase}/${i}`, `unknown step "${id}"`);
        if (step.phase !== phase) throw new KbError(rel, `/steps/${phase}/${i}`, `step "${id}" belongs to phase ${step.phase}`);
      }
    }
    return a;
  });
  const techniques = new Map(load<Technique[]>(dir, 'techniques.yaml', TechniqueFileSchema, hash).map((t) => [t.id, t]));
  const regulations = loadRegulations(dir, hash);
  const kb: Kb = {
    dir,
    meta,
    archetypes: archetypes.sort((a, b) => a.precedence - b.precedence),
    steps,
    techniques,
    weaknesses: load<Weakness[]>(dir, 'weaknesses.yaml', WeaknessFileSchema, hash),
    dataTypes: load<LabelRule[]>(dir, 'data-types.yaml', LabelFileSchema, hash),
    statuses: load<LabelRule[]>(dir, 'statuses.yaml', LabelFileSchema, hash),
    sectors: load<LabelRule[]>(dir, 'sectors.yaml', LabelFileSchema, hash),
    regulations,
    priority: loadPriority(dir, hash),
    benignDomains: load<BenignDomain[]>(dir, 'benign-domains.yaml', BenignDomainFileSchema, hash),
    stories: loadStoryRules(dir, hash),
    advisoryIds: loadAdvisoryIds(dir, hash),
    compensating,
    cisSafeguards,
    ssvc: loadSsvc(dir, hash),
    regimes: loadRegimes(dir, hash, regulations),
    narrative: loadNarrative(dir, hash, archetypes),
    countries: loadCountries(dir, hash),
    version: '',
  };
  return Object.freeze({ ...kb, version: `${meta.version}+${hash.digest('hex').slice(0, 12)}` });
}

export type { Phase };
