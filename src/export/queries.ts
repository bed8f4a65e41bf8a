/** KQL and SPL starter hunts for an item's non-benign indicators over its hunting window, from the templates in kb/detection-queries.yaml. */
import fs from 'node:fs';
import path from 'node:path';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import YAML from 'yaml';
import type { Item } from '../domain/index.js';
import { addDays } from '../enrich/context.js';
import { hostOf } from '../enrich/iocs.js';
import { isReservedAddress } from '../extract/iocs.js';
import { KbError } from '../knowledge/kb-error.js';
import { DEFAULT_KB_DIR } from '../knowledge/load-kb.js';

export const DETECTION_KB_FILE = 'detection-queries.yaml';

export const INDICATOR_KINDS = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export type Indicators = Readonly<Record<IndicatorKind, readonly string[]>>;

/** Optional per-kind entries, and at least one: an entry that matches nothing is a mistake in the file. */
function perKind<T extends TSchema>(entry: T) {
  const k = Type.Optional(entry);
  return Type.Object(
    { ip: k, domain: k, url: k, email: k, md5: k, sha1: k, sha256: k, sha512: k },
    { additionalProperties: false, minProperties: 1 },
  );
}
const Text = Type.String({ minLength: 1 });
const Title = Type.String({ minLength: 1, maxLength: 160 });
const KqlName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' });
const SplField = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$' });

export const SigmaTemplateSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
    title: Title,
    logsource: Type.Object(
      { category: Type.Optional(Text), product: Type.Optional(Text), service: Type.Optional(Text) },
      { additionalProperties: false, minProperties: 1 },
    ),
    match: perKind(Type.Array(
      Type.Object(
        { field: Type.String({ pattern: '^[A-Za-z0-9_.-]+(\\|[a-z0-9]+)*$' }), prefix: Type.Optional(Text) },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    )),
    falsepositives: Type.Array(Type.String({ minLength: 2 }), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type SigmaTemplate = Static<typeof SigmaTemplateSchema>;

export const KqlTemplateSchema = Type.Object(
  {
    language: Type.Literal('kql'),
    title: Title,
    table: KqlName,
    time: KqlName,
    match: perKind(Type.Object(
      { field: KqlName, op: Type.Union([Type.Literal('in'), Type.Literal('in~'), Type.Literal('has_any'), Type.Literal('contains')]) },
      { additionalProperties: false },
    )),
    columns: Type.Array(KqlName, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type KqlTemplate = Static<typeof KqlTemplateSchema>;

export const SplTemplateSchema = Type.Object(
  {
    language: Type.Literal('spl'),
    title: Title,
    datamodel: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$' })),
    search: Type.Optional(Text),
    match: perKind(Type.Object(
      {
        field: Type.Optional(SplField),
        op: Type.Union([Type.Literal('in'), Type.Literal('contains'), Type.Literal('domain'), Type.Literal('term')]),
      },
      { additionalProperties: false },
    )),
    by: Type.Array(SplField, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type SplTemplate = Static<typeof SplTemplateSchema>;

const FileSchema = Type.Object(
  { sigma: Type.Array(Type.Unknown(), { minItems: 1 }), queries: Type.Array(Type.Unknown(), { minItems: 1 }) },
  { additionalProperties: false },
);

export interface DetectionKb {
  readonly sigma: readonly SigmaTemplate[];
  readonly queries: readonly (KqlTemplate | SplTemplate)[];
}

function check<T>(schema: TSchema, value: unknown, pointer: string): T {
  const first = Value.Errors(schema, value).First();
  if (first) throw new KbError(DETECTION_KB_FILE, `${pointer}${first.path}`, `${first.message} (got ${JSON.stringify(first.value)?.slice(0, 80)})`);
  return value as T;
}

/** What the schema cannot say: placeholders, one SPL source, and fields that belong to the data model they are read from. */
function checkMeaning(kb: DetectionKb): void {
  const fail = (pointer: string, message: string): never => { throw new KbError(DETECTION_KB_FILE, pointer, message); };
  const keys = new Set<string>();
  kb.sigma.forEach((s, i) => {
    if (keys.has(s.key)) fail(`/sigma/${i}/key`, `duplicate key "${s.key}"`);
    keys.add(s.key);
  });
  kb.queries.forEach((q, i) => {
    const stray = /\{(?!since\})[^}]*\}/.exec(q.title);
    if (stray) fail(`/queries/${i}/title`, `unknown placeholder ${stray[0]} (only {since} is filled)`);
    if (q.language !== 'spl') return;
    if ((q.datamodel === undefined) === (q.search === undefined)) fail(`/queries/${i}`, 'needs exactly one of datamodel and search');
    const node = q.datamodel ? `${q.datamodel.split('.')[1]}.` : null;
    for (const [kind, m] of Object.entries(q.match)) {
      if ((m.op === 'term') !== (m.field === undefined)) fail(`/queries/${i}/match/${kind}`, 'op term takes no field; every other op needs one');
      if (node && m.field && !m.field.startsWith(node)) fail(`/queries/${i}/match/${kind}/field`, `"${m.field}" is not a field of ${q.datamodel}`);
    }
    if (node) q.by.forEach((f, j) => { if (!f.startsWith(node)) fail(`/queries/${i}/by/${j}`, `"${f}" is not a field of ${q.datamodel}`); });
  });
}

/** Reads and checks kb/detection-queries.yaml; a broken file raises a KbError naming the file and the field. */
export function loadDetectionKb(kbDir: string = DEFAULT_KB_DIR): DetectionKb {
  let text: string;
  try {
    text = fs.readFileSync(path.join(kbDir, DETECTION_KB_FILE), 'utf8');
  } catch (cause) {
    throw new KbError(DETECTION_KB_FILE, '', 'cannot be read', { cause });
  }
  let data: unknown;
  try {
    data = YAML.parse(text, { version: '1.2', schema: 'core' });
  } catch (cause) {
    throw new KbError(DETECTION_KB_FILE, '', `is not valid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const file = check<Static<typeof FileSchema>>(FileSchema, data, '');
  const sigma = file.sigma.map((s, i) => check<SigmaTemplate>(SigmaTemplateSchema, s, `/sigma/${i}`));
  const queries = file.queries.map((q, i) => {
    const language = (q as { language?: unknown } | null)?.language;
    if (language === 'kql') return check<KqlTemplate>(KqlTemplateSchema, q, `/queries/${i}`);
    if (language === 'spl') return check<SplTemplate>(SplTemplateSchema, q, `/queries/${i}`);
    throw new KbError(DETECTION_KB_FILE, `/queries/${i}/language`, `must be kql or spl (got ${JSON.stringify(language)})`);
  });
  const kb = { sigma, queries };
  checkMeaning(kb);
  return kb;
}

let defaultKb: DetectionKb | undefined;
/** The repository's kb/detection-queries.yaml, read once. */
export function detectionKb(): DetectionKb {
  defaultKb ??= loadDetectionKb();
  return defaultKb;
}

const isIp = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');

/**
 * The item's non-benign indicators by kind. Hosts of URLs and e-mail addresses are hunted as domains too, because DNS,
 * proxy and firewall logs see the host, not the full URL; a host the item marks benign anywhere stays out.
 */
export function indicatorsOf(item: Pick<Item, 'iocs'>): Indicators {
  const out = Object.fromEntries(INDICATOR_KINDS.map((k) => [k, new Set<string>()])) as Record<IndicatorKind, Set<string>>;
  const benign = new Set(item.iocs.filter((i) => i.benign).flatMap((i) => [i.value, hostOf(i) ?? '']));
  const addHost = (raw: string) => {
    const host = raw.replace(/^\[|\]$/g, '').toLowerCase();
    if (!host || benign.has(host)) return;
    if (!isIp(host)) out.domain.add(host);
    // An address written as a URL host gets the IOC table's own reserved-range test, since no IOC row marked it.
    else if (!isReservedAddress(host)) out.ip.add(host);
  };
  for (const ioc of item.iocs) {
    if (ioc.benign) continue;
    switch (ioc.type) {
      case 'ipv4': case 'ipv6': out.ip.add(ioc.value); break;
      case 'domain': addHost(ioc.value); break;
      case 'email': out.email.add(ioc.value); addHost(ioc.value.split('@')[1] ?? ''); break;
      case 'url': {
        const u = URL.canParse(ioc.value) ? new URL(ioc.value) : null;
        // Proxies log the URL with or without its scheme, and never the fragment: match what they all keep.
        out.url.add(u ? `${u.host}${u.pathname}${u.search}` : ioc.value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/#.*$/, ''));
        if (u) addHost(u.hostname);
        break;
      }
      case 'md5': case 'sha1': case 'sha256': case 'sha512': out[ioc.type].add(ioc.value.toLowerCase()); break;
      default: break; // Paths, registry keys, wallets...: no log source in these templates holds them.
    }
  }
  return Object.fromEntries(INDICATOR_KINDS.map((k) => [k, [...out[k]]])) as unknown as Indicators;
}

/**
 * The start of the hunting window, derived as the item's own detection guidance derives it (src/enrich/context.ts),
 * since the item does not store it: a week before the stated event window, else 30 days before public disclosure.
 */
export function huntSince(item: Pick<Item, 'facts' | 'firstReported' | 'asOf'>): string {
  const dates = item.facts.dates;
  const window = dates.find((d) => d.kind === 'event-window' && d.end) ?? dates.find((d) => d.kind === 'event-window');
  if (window) return addDays(window.date, -7);
  const disclosed = [...dates.filter((d) => d.kind === 'disclosed').map((d) => d.date), item.firstReported?.slice(0, 10)]
    .filter((d): d is string => !!d).sort()[0];
  return addDays(disclosed ?? item.asOf, -30);
}

/** A KQL string literal. The extractor never keeps other control characters in an indicator. */
export function kqlString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** An SPL string literal. SPL has no escape for `*` in a search term: a value holding one widens the hunt, never narrows it. */
export function splString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

interface Predicate<Op> { readonly field: string | undefined; readonly op: Op; readonly values: string[] }

/** Kinds that share a field and operator (md5, sha1 and sha256 in one hash column) make one predicate. */
function predicates<Op extends string>(match: Partial<Record<IndicatorKind, { field?: string; op: Op }>>, found: Indicators): Predicate<Op>[] {
  const out: Predicate<Op>[] = [];
  for (const kind of INDICATOR_KINDS) {
    const m = match[kind];
    if (!m || found[kind].length === 0) continue;
    const same = out.find((p) => p.field === m.field && p.op === m.op);
    if (same) same.values.push(...found[kind].filter((v) => !same.values.includes(v)));
    else out.push({ field: m.field, op: m.op, values: [...found[kind]] });
  }
  return out;
}

function kql(t: KqlTemplate, found: Indicators, since: string): string | null {
  const preds = predicates(t.match, found).map(({ field, op, values }) => op === 'contains'
    ? values.map((v) => `${field} contains ${kqlString(v)}`).join(' or ')
    : `${field} ${op} (${values.map(kqlString).join(', ')})`);
  if (preds.length === 0) return null;
  return [
    t.table,
    `| where ${t.time} >= datetime(${since})`,
    `| where ${preds.join('\n    or ')}`,
    `| project ${t.columns.join(', ')}`,
    `| order by ${t.time} asc`,
  ].join('\n');
}

function spl(t: SplTemplate, found: Indicators, since: string): string | null {
  const preds = predicates(t.match, found).map(({ field, op, values }) => {
    if (op === 'term') return values.map(splString).join(' OR ');
    if (op === 'in') return `${field} IN (${values.map(splString).join(', ')})`;
    if (op === 'domain') return `${field} IN (${values.flatMap((v) => [v, `*.${v}`]).map(splString).join(', ')})`;
    return values.map((v) => `${field}=${splString(`*${v}*`)}`).join(' OR ');
  });
  if (preds.length === 0) return null;
  const [y, m, d] = since.split('-');
  const where = `earliest="${m}/${d}/${y}:00:00:00" (${preds.join(' OR ')})`;
  const stats = 'count min(_time) as firstTime max(_time) as lastTime';
  const head = t.datamodel
    ? `| tstats summariesonly=false ${stats} from datamodel=${t.datamodel} where ${where} by ${t.by.join(' ')}`
    : `${t.search} ${where}\n| stats ${stats} by ${t.by.join(' ')}`;
  return `${head}\n| sort 0 firstTime\n| convert ctime(firstTime) ctime(lastTime)`;
}

export interface HuntQuery {
  readonly language: 'kql' | 'spl';
  readonly title: string;
  readonly query: string;
}

/** Starter hunts for the item's own indicators; none when it has none. */
export function itemToQueries(item: Item, kb: DetectionKb = detectionKb()): HuntQuery[] {
  const found = indicatorsOf(item);
  const since = huntSince(item);
  const out: HuntQuery[] = [];
  for (const t of kb.queries) {
    const query = t.language === 'kql' ? kql(t, found, since) : spl(t, found, since);
    if (query) out.push({ language: t.language, title: t.title.replace('{since}', since), query });
  }
  return out;
}
