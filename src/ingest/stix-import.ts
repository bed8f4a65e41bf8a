/** Reads a STIX 2.1 bundle into a Document whose text Vigil's own extractors read again: the reports, every indicator value, CVE and ATT&CK id. */
import type { Document } from '../domain/index.js';
import { toIsoDate } from './dates.js';
import { DEFAULT_MAX_BYTES } from './decode.js';
import { IngestError } from './errors.js';
import { contentHashOf, documentId } from './parse-document.js';

export interface StixImportOptions {
  /** Where the bundle came from (a file path, a TAXII URL); the bundle id by default. */
  origin?: string;
  /** By default, a bundle whose report carries the "example" label (as Vigil exports examples) is an example. */
  example?: boolean;
}

type Obj = Record<string, unknown> & { type: string; id: string };

const STIX_ID = /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** One line of text per value: a line break inside a name would start a sentence the extractor reads out of context. */
const line = (s: string) => s.replace(/\s+/g, ' ').trim();

function refuse(origin: string, why: string): never {
  throw new IngestError('unknown-format', origin, `is not a STIX 2.1 bundle: ${why}`);
}

function parseBundle(text: string, origin: string): { id: string; objects: Obj[] } {
  if (Buffer.byteLength(text) > DEFAULT_MAX_BYTES) throw new IngestError('too-large', origin, `is over the limit of ${DEFAULT_MAX_BYTES} bytes`);
  if (text.trim() === '') throw new IngestError('empty', origin, 'is empty');
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new IngestError('unknown-format', origin, `is not a STIX 2.1 bundle: not JSON (${(cause as Error).message})`, { cause });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) refuse(origin, 'not a JSON object');
  const bundle = doc as Record<string, unknown>;
  if (bundle.type !== 'bundle') refuse(origin, `its type is ${JSON.stringify(bundle.type ?? null)}, not "bundle"`);
  if (typeof bundle.id !== 'string' || !/^bundle--/.test(bundle.id) || !STIX_ID.test(bundle.id)) refuse(origin, `its id ${JSON.stringify(bundle.id ?? null)} is not a bundle id`);
  // STIX 2.0 put spec_version on the bundle; 2.1 moved it onto every object.
  if ('spec_version' in bundle) refuse(origin, `it declares spec_version ${JSON.stringify(bundle.spec_version)} on the bundle, as STIX 2.0 did`);
  if (!Array.isArray(bundle.objects)) refuse(origin, 'it has no "objects" array');
  const objects: Obj[] = [];
  for (const [i, o] of bundle.objects.entries()) {
    if (!o || typeof o !== 'object' || typeof (o as Obj).type !== 'string' || typeof (o as Obj).id !== 'string') refuse(origin, `object ${i} has no type or id`);
    const spec = (o as Obj).spec_version;
    if (spec !== undefined && spec !== '2.1') refuse(origin, `object ${(o as Obj).id} is STIX ${JSON.stringify(spec)}`);
    objects.push(o as Obj);
  }
  // Cyber-observables may omit spec_version; a bundle where nothing declares 2.1 is older STIX.
  if (objects.length > 0 && !objects.some((o) => o.spec_version === '2.1')) refuse(origin, 'no object declares spec_version "2.1"');
  return { id: bundle.id, objects };
}

/** A comparison in a STIX pattern: `file:hashes.'SHA-256' = '...'`, with the string literal unescaped. */
interface Comparison { observation: number; object: string; path: string; op: string; value: string }

const LITERAL = String.raw`'(?:[^'\\]|\\.)*'`;
const COMPARISON = new RegExp(
  String.raw`([a-z][a-z0-9-]*):((?:[A-Za-z0-9_]+|${LITERAL})(?:\.(?:[A-Za-z0-9_]+|${LITERAL})|\[(?:\d+|\*)\])*)\s*(?:NOT\s+)?(=|!=|ISSUBSET|ISSUPERSET|LIKE|MATCHES)\s*(${LITERAL}|-?\d+(?:\.\d+)?)`,
  'y',
);
const unquote = (s: string) => (s.startsWith("'") ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s);

/** The comparisons of a pattern, each with the index of its observation ([...]); string literals are never read as paths. */
export function patternComparisons(pattern: string): Comparison[] {
  const out: Comparison[] = [];
  let observation = -1;
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "'") {
      const end = new RegExp(LITERAL, 'y');
      end.lastIndex = i;
      i = end.exec(pattern) ? end.lastIndex : pattern.length;
      continue;
    }
    if (c === '[') observation++;
    COMPARISON.lastIndex = i;
    const m = /[a-z]/.test(c) && !/[A-Za-z0-9_-]/.test(pattern[i - 1] ?? ' ') ? COMPARISON.exec(pattern) : null;
    if (m) {
      out.push({ observation: Math.max(observation, 0), object: m[1], path: m[2].replace(/'([^']*)'/g, '$1'), op: m[3], value: unquote(m[4]) });
      i = COMPARISON.lastIndex;
    } else i++;
  }
  return out;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', SHA1: 'sha1', 'SHA-256': 'sha256', SHA256: 'sha256', 'SHA-512': 'sha512', SHA512: 'sha512', SSDEEP: 'ssdeep' };
/** STIX spells the hive out; reports, and so Vigil's IOC table, mostly abbreviate it. */
const HIVES: Record<string, string> = {
  HKEY_LOCAL_MACHINE: 'HKLM', HKEY_CURRENT_USER: 'HKCU', HKEY_CLASSES_ROOT: 'HKCR', HKEY_USERS: 'HKU', HKEY_CURRENT_CONFIG: 'HKCC',
};
const shortHive = (key: string) => key.replace(/^(HKEY_[A-Z_]+)(?=\\|$)/i, (h) => HIVES[h.toUpperCase()] ?? h);
const NETWORK = new Set(['domain', 'url', 'email', 'ipv4', 'ipv6', 'cidr', 'asn', 'mac', 'wallet']);
/** Values that name things on a host, not hosts: no domain cue may reach them. */
const FILE_SYSTEM = new Set(['md5', 'sha1', 'sha256', 'sha512', 'ssdeep', 'file', 'path', 'registry']);
const joinPath = (dir: string, name: string) => (/[\\/]$/.test(dir) ? `${dir}${name}` : `${dir}${dir.includes('\\') ? '\\' : '/'}${name}`);

/** The values a STIX pattern states outright, as (Vigil type, value). LIKE and MATCHES state no value, and give none. */
export function patternValues(pattern: string): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  const comparisons = patternComparisons(pattern).filter((c) => c.op === '=' || (c.op === 'ISSUBSET' && /-addr$/.test(c.object)));
  const observations = [...new Set(comparisons.map((c) => c.observation))];
  for (const n of observations) {
    const here = comparisons.filter((c) => c.observation === n);
    const parent = here.find((c) => c.object === 'file' && c.path === 'parent_directory_ref.path');
    for (const c of here) {
      const key = `${c.object}:${c.path}`;
      if (c === parent && here.some((o) => o.object === 'file' && o.path === 'name')) continue;
      if (c.object === 'file' && c.path === 'name') out.push(parent ? { type: 'path', value: joinPath(parent.value, c.value) } : { type: 'file', value: c.value });
      else if (c.object === 'file' && c.path.startsWith('hashes.')) out.push({ type: HASHES[c.path.slice(7).toUpperCase()] ?? c.path.slice(7), value: c.value });
      else if (c.object === 'ipv4-addr' || c.object === 'ipv6-addr') {
        out.push({ type: c.op === 'ISSUBSET' || c.value.includes('/') ? 'cidr' : c.object.slice(0, 4), value: c.value });
      } else if (key === 'domain-name:value') out.push({ type: 'domain', value: c.value });
      else if (key === 'url:value') out.push({ type: 'url', value: c.value });
      else if (c.object === 'email-addr' || (c.object === 'email-message' && /_refs?(\[(\d+|\*)\])?\.value$/.test(c.path))) out.push({ type: 'email', value: c.value });
      else if (key === 'directory:path' || c === parent) out.push({ type: 'path', value: c.value });
      else if (key === 'windows-registry-key:key') out.push({ type: 'registry', value: shortHive(c.value) });
      else if (key === 'autonomous-system:number') out.push({ type: 'asn', value: `AS${c.value}` });
      else if (key === 'mac-addr:value') out.push({ type: 'mac', value: c.value });
      else if (key === 'cryptocurrency-wallet:value') out.push({ type: 'wallet', value: c.value });
      else out.push({ type: key, value: c.value });
    }
  }
  return out;
}

function externalIds(o: Obj, sources: RegExp): string[] {
  return list(o.external_references).flatMap((r) => {
    const ref = r as Record<string, unknown>;
    return typeof ref?.source_name === 'string' && sources.test(ref.source_name) && str(ref.external_id) ? [String(ref.external_id)] : [];
  });
}

function section(heading: string, lines: string[]): string[] {
  const unique = [...new Set(lines)];
  return unique.length === 0 ? [] : [`${heading}\n${unique.join('\n')}`];
}

/**
 * A Document for a STIX 2.1 bundle. Values are written plainly, one list item per line, so each is its own sentence for
 * the extractors; indicators a producer marks benign, and revoked objects, are left out so they never become indicators.
 */
export function stixToDocument(bundleText: string, options: StixImportOptions = {}): Document {
  const origin0 = options.origin ?? 'STIX bundle';
  const bundle = parseBundle(bundleText, origin0);
  const origin = options.origin ?? bundle.id;
  const live = bundle.objects.filter((o) => o.revoked !== true);
  const of = (type: string) => live.filter((o) => o.type === type);
  const byId = new Map(live.map((o) => [o.id, o]));
  const reports = of('report');

  const values: { type: string; value: string }[] = [];
  const otherPatterns: string[] = [];
  for (const o of of('indicator')) {
    if (list(o.indicator_types).includes('benign')) continue;
    const pattern = str(o.pattern);
    if (!pattern) continue;
    if ((o.pattern_type ?? 'stix') === 'stix') values.push(...patternValues(pattern));
    else if (str(o.name)) otherPatterns.push(`- ${line(String(o.pattern_type))} rule: ${line(String(o.name))}`);
  }
  // Two quirks of the extractor shape this text. It reads the first occurrence of a host only, so a domain listed
  // after an e-mail address or URL on it is lost: domains come first. And it reads a name with a file-like TLD
  // (pyhelper.py, invoice.zip) as a domain when "domain", "indicator" or the like is within 60 characters before it:
  // file-system values get a section of their own, under a heading longer than that which names none of those words.
  const rank = (v: { type: string }) => (v.type === 'domain' ? 0 : 1);
  const lines = (vs: { type: string; value: string }[]) => vs.map((v) => `- ${v.type}: ${line(v.value)}`);
  const network = lines(values.filter((v) => NETWORK.has(v.type)).sort((a, b) => rank(a) - rank(b)));
  const fileSystem = lines(values.filter((v) => FILE_SYSTEM.has(v.type)));
  const other = lines(values.filter((v) => !NETWORK.has(v.type) && !FILE_SYSTEM.has(v.type)));
  const cves = of('vulnerability').map((o) => {
    const cve = externalIds(o, /^cve$/i)[0] ?? (/^CVE-\d{4}-\d{4,}$/i.test(String(o.name)) ? String(o.name) : null);
    const name = str(o.name);
    return cve ? `- Vulnerability: ${cve.toUpperCase()}${name && name.toUpperCase() !== cve.toUpperCase() ? ` (${line(name)})` : ''}` : name ? `- Vulnerability: ${line(name)}` : null;
  }).filter((l): l is string => !!l);
  // Techniques a producer marks as only expected of the incident type (Vigil's playbook rows) were not reported:
  // Vigil derives them again from the incident type, and reading their ids would turn them into observations.
  const basis = (label: string) => new Set(of('note').filter((n) => list(n.labels).includes(label)).flatMap((n) => list(n.object_refs)));
  const observed = basis('attack-basis:observed');
  const expectedOnly = [...basis('attack-basis:consistent')].filter((id) => !observed.has(id));
  const techniques = of('attack-pattern').filter((o) => !expectedOnly.includes(o.id)).map((o) => {
    const id = externalIds(o, /^mitre-(?:[a-z]+-)?attack$/i).find((x) => /^T\d{4}(\.\d{3})?$/.test(x));
    const name = str(o.name);
    return id ? `- ATT&CK technique: ${id}${name && name !== id ? ` ${line(name)}` : ''}` : name ? `- Attack pattern: ${line(name)}` : null;
  }).filter((l): l is string => !!l);
  const named = (type: string, label: string) => of(type).flatMap((o) => (str(o.name) ? [`- ${label}: ${line(String(o.name))}`] : []));

  const one = reports.length === 1 ? reports[0] : null;
  const reportText = reports.map((r) => [one ? null : `${line(String(r.name ?? r.id))}.`, str(r.description)].filter(Boolean).join('\n'));
  const text = [
    ...reportText.filter((t) => t !== ''),
    ...section('Network values that the STIX patterns of this bundle state outright, each on its own line with its type:', network),
    ...section('Files, paths, hashes and registry keys that the STIX patterns of this bundle state outright, one per line:', fileSystem),
    ...section('Other values the STIX patterns of this bundle state outright, each after the object property it is compared with:', other),
    ...section('Rules in other pattern languages, by name:', otherPatterns),
    ...section('Vulnerabilities:', cves),
    ...section('ATT&CK techniques:', techniques),
    ...section('Threat actors:', [...named('threat-actor', 'Threat actor'), ...named('intrusion-set', 'Intrusion set')]),
    ...section('Malware and tools:', [...named('malware', 'Malware'), ...named('tool', 'Tool')]),
  ].join('\n\n');
  if (text.trim() === '') throw new IngestError('empty', origin, 'holds no report, indicator, vulnerability or technique to read');

  const title = line(str(one?.name) ?? `STIX bundle ${bundle.id}`);
  const dates = reports.map((r) => toIsoDate(str(r.published))).filter((d): d is string => !!d).sort();
  const author = byId.get(String(one?.created_by_ref ?? reports[0]?.created_by_ref ?? ''));
  const contentHash = contentHashOf(title, text);
  return {
    // Known by its report, as an article is by its URL: a re-issued bundle updates the same document.
    id: documentId(`stix:${one?.id ?? bundle.id}`, contentHash),
    contentHash,
    title,
    outlet: str(author?.name) ?? 'STIX bundle',
    url: null,
    published: dates[0] ?? null,
    format: 'text',
    text,
    origin,
    example: options.example ?? reports.some((r) => list(r.labels).includes('example')),
  };
}
