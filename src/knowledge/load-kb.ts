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
  type AdvisoryIdRule, AdvisoryIdFileSchema, type Country, CountryFileSchema, type StoryRules, StoryRulesSchema, TechniqueFileSchema, type Weakness, WeaknessFileSchema,
} from './kb-schema.js';
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
  readonly countries: readonly Country[];
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
  const archetypes = listYaml(dir, 'archetypes').map((rel) => {
    const a = load<Archetype>(dir, rel, ArchetypeSchema, hash);
    for (const phase of PHASES) {
      for (const [i, id] of a.steps[phase].entries()) {
        const step = steps.get(id);
        if (!step) throw new KbError(rel, `/steps/${phase}/${i}`, `unknown step "${id}"`);
        if (step.phase !== phase) throw new KbError(rel, `/steps/${phase}/${i}`, `step "${id}" belongs to phase ${step.phase}`);
      }
    }
    return a;
  });
  const techniques = new Map(load<Technique[]>(dir, 'techniques.yaml', TechniqueFileSchema, hash).map((t) => [t.id, t]));
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
    regulations: load<Regulation[]>(dir, 'regulations.yaml', RegulationFileSchema, hash),
    priority: load<PriorityWeights>(dir, 'priority.yaml', PriorityWeightsSchema, hash),
    benignDomains: load<BenignDomain[]>(dir, 'benign-domains.yaml', BenignDomainFileSchema, hash),
    stories: loadStoryRules(dir, hash),
    advisoryIds: loadAdvisoryIds(dir, hash),
    countries: loadCountries(dir, hash),
    version: '',
  };
  return Object.freeze({ ...kb, version: `${meta.version}+${hash.digest('hex').slice(0, 12)}` });
}

export type { Phase };
