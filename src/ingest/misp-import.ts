/** A MISP event (MISP core format JSON) as a Document whose plain text Vigil's extractor reads the event's indicators, CVEs and techniques from. */
import type { Document } from '../domain/index.js';
import { toIsoDate } from './dates.js';
import { DEFAULT_MAX_BYTES } from './decode.js';
import { IngestError } from './errors.js';
import { contentHashOf, documentId } from './parse-document.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Attr { type: string; value: string; toIds: boolean; object: string | null }

const THREAT_LEVEL: Record<string, string> = { 1: 'high', 2: 'medium', 3: 'low', 4: 'undefined' };
const ANALYSIS: Record<string, string> = { 0: 'initial', 1: 'ongoing', 2: 'completed' };
/** Keys only an event body has: a bare body (as PyMISP writes it) must hold one of them besides its info. */
const EVENT_KEYS = ['Attribute', 'Object', 'threat_level_id', 'analysis', 'date'];

/** Values longer than this are text blobs (reports, rules); their start is what an extractor can use. */
const MAX_VALUE = 4000;
const CVE = /\bCVE-\d{4}-\d{4,7}\b/gi;
const TECHNIQUE = /\bT\d{4}(?:\.\d{3})?\b/g;
// The current galaxy and the older mitre-enterprise-attack-attack-pattern one both end their values in " - T1234".
const ATTACK_GALAXY_TAG = /^misp-galaxy:mitre-(?:[a-z-]+-)?attack-pattern="(.*) - (T\d{4}(?:\.\d{3})?)"$/;

/**
 * Line order matters to the extractor. It reports a value at its first occurrence and drops a domain first seen inside
 * an e-mail address or URL; and it reads the words "domain" and "hostname" as host context for the next 60 characters,
 * where the file name ending a path (/tmp/x.sh, tool.py) would pass for a host. So paths, hashes and the rest come
 * first, then domains and hostnames, then the values that hold a host.
 */
function rank(type: string): number {
  if (/^(?:domain|hostname)/.test(type)) return 1;
  return /^(?:url|uri|ip-|email|target-email|whois-registrant-email|dns-soa-email)/.test(type) ? 2 : 0;
}

function refuse(origin: string, why: string): IngestError {
  return new IngestError('unreadable', origin, `not a MISP event: ${why}`);
}

/** The event body: {"Event": {...}} as MISP exports it, or the bare body PyMISP writes. */
function eventBody(root: unknown, origin: string): Obj {
  if (!isObj(root)) throw refuse(origin, 'the JSON is not an object; expected {"Event": {...}}');
  if ('Event' in root) {
    if (!isObj(root.Event)) throw refuse(origin, '"Event" is not an object');
    return root.Event;
  }
  if (Array.isArray(root.response)) {
    throw refuse(origin, `this is a MISP API response with ${root.response.length} entries; export a single event as {"Event": {...}}`);
  }
  if (typeof root.info === 'string' && EVENT_KEYS.some((k) => k in root)) return root;
  throw refuse(origin, 'expected {"Event": {...}} with an "info" and its attributes');
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';

function attributesOf(list: unknown, where: string, object: string | null, origin: string): Attr[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw refuse(origin, `${where} is not a list`);
  const out: Attr[] = [];
  list.forEach((a, i) => {
    if (!isObj(a) || typeof a.type !== 'string' || (typeof a.value !== 'string' && typeof a.value !== 'number')) {
      throw refuse(origin, `${where}[${i}] is not an attribute with a string "type" and "value"`);
    }
    // A deleted attribute is one its creator withdrew.
    if (truthy(a.deleted)) return;
    out.push({ type: a.type, value: String(a.value), toIds: truthy(a.to_ids), object });
  });
  return out;
}

function tagNames(list: unknown, where: string, origin: string): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw refuse(origin, `${where} is not a list`);
  return list.map((t, i) => {
    if (!isObj(t) || typeof t.name !== 'string') throw refuse(origin, `${where}[${i}] is not a tag with a string "name"`);
    return t.name;
  });
}

/** One line of running text: whitespace collapsed (a value is one list item), composite a|b values split so each part is read. */
function plain(type: string, value: string): string {
  let v = value.replace(/\s+/g, ' ').trim();
  if (v.length > MAX_VALUE) v = `${v.slice(0, MAX_VALUE)}…`;
  // MISP stores an AS as its number; "AS64500" is how reporting (and the extractor) writes one.
  if (type === 'AS' && /^\d+$/.test(v)) return `AS${v}`;
  return type.includes('|') ? v.split('|').join(' | ') : v;
}

/**
 * ATT&CK technique ids with their names: from galaxy tags, from the clusters of the event's Galaxy list, and from text
 * attributes that name ATT&CK (Vigil's export puts the techniques it could not name there).
 */
function techniques(tags: readonly string[], galaxies: unknown, attrs: readonly Attr[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tags) {
    const m = ATTACK_GALAXY_TAG.exec(t);
    if (m) out.set(m[2], m[1]);
  }
  for (const g of Array.isArray(galaxies) ? galaxies : []) {
    if (!isObj(g) || typeof g.type !== 'string' || !/attack-pattern$/.test(g.type) || !Array.isArray(g.GalaxyCluster)) continue;
    for (const c of g.GalaxyCluster) {
      const id = isObj(c) && isObj(c.meta) ? c.meta.external_id : undefined;
      const first = Array.isArray(id) ? id[0] : id;
      if (typeof first === 'string' && /^T\d{4}(\.\d{3})?$/.test(first) && !out.has(first)) {
        out.set(first, typeof c.value === 'string' ? c.value.replace(/ - T\d{4}(\.\d{3})?$/, '') : first);
      }
    }
  }
  // Short ids collide with part numbers: only text that says ATT&CK is read for them, as the extractor does.
  for (const a of attrs) {
    if (a.type !== 'text' || !/att&ck|mitre/i.test(a.value)) continue;
    for (const [id] of a.value.matchAll(TECHNIQUE)) if (!out.has(id)) out.set(id, 'named in a text attribute');
  }
  return out;
}

function published(ev: Obj): string | null {
  const day = typeof ev.date === 'string' ? toIsoDate(ev.date) : null;
  if (day) return day;
  const ts = Number(ev.publish_timestamp ?? ev.timestamp);
  return Number.isFinite(ts) && ts > 0 ? new Date(ts * 1000).toISOString() : null;
}

const section = (heading: string, lines: readonly string[]) => (lines.length === 0 ? [] : [[heading, ...lines].join('\n')]);

/**
 * Reads a MISP event into a document that lists each attribute MISP marks for detection (to_ids) as a list item
 * "type: value", so that each value is read in a sentence of its own; then the CVEs (vulnerability attributes and
 * tags), the ATT&CK techniques (galaxy tags and clusters), the tags, and the link attributes as references, which
 * Vigil's reference-page rule keeps out of the indicators.
 *
 * What is left out, and why:
 * - attributes MISP does not mark for detection (a victim's address, an encryption key in a text attribute): Vigil
 *   has no "not for detection" flag and would read every one as an indicator. The text counts them, by type.
 * - attribute comments: prose that quotes other values (a sandbox link, the victim's site), each of which would
 *   become an indicator of its own.
 * - the word "indicator": the extractor takes it as host context and would read file names in paths as hosts. Imported
 *   values so come back with medium confidence (present, no indicator wording), which keeps them actionable.
 *
 * The document's identity is the event's UUID: importing an updated event revises the same document.
 */
export function mispToDocument(eventText: string, origin = 'misp-event'): Document {
  if (eventText.length > DEFAULT_MAX_BYTES) throw new IngestError('too-large', origin, `is over ${DEFAULT_MAX_BYTES} bytes`);
  let root: unknown;
  try {
    root = JSON.parse(eventText);
  } catch (e) {
    throw refuse(origin, `the text is not JSON (${(e as Error).message})`);
  }
  const ev = eventBody(root, origin);
  if (typeof ev.info !== 'string' || ev.info.trim() === '') throw refuse(origin, 'Event.info (its title) is missing or empty');

  const attrs = attributesOf(ev.Attribute, 'Event.Attribute', null, origin);
  if (ev.Object !== undefined && ev.Object !== null) {
    if (!Array.isArray(ev.Object)) throw refuse(origin, 'Event.Object is not a list');
    ev.Object.forEach((o, i) => {
      if (!isObj(o) || typeof o.name !== 'string') throw refuse(origin, `Event.Object[${i}] is not an object with a string "name"`);
      if (truthy(o.deleted)) return;
      attrs.push(...attributesOf(o.Attribute, `Event.Object[${i}].Attribute`, o.name, origin));
    });
  }
  const tags = tagNames(ev.Tag, 'Event.Tag', origin);
  (Array.isArray(ev.Attribute) ? ev.Attribute : []).forEach((a, i) => {
    if (isObj(a) && !truthy(a.deleted)) tags.push(...tagNames(a.Tag, `Event.Attribute[${i}].Tag`, origin));
  });
  for (const g of Array.isArray(ev.Galaxy) ? ev.Galaxy : []) {
    for (const c of isObj(g) && Array.isArray(g.GalaxyCluster) ? g.GalaxyCluster : []) {
      if (isObj(c) && typeof c.tag_name === 'string') tags.push(c.tag_name);
    }
  }
  const uniqueTags = [...new Set(tags)];

  const title = ev.info.replace(/\s+/g, ' ').trim().slice(0, 500);
  const uuid = typeof ev.uuid === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ev.uuid)
    ? ev.uuid.toLowerCase() : null;
  const orgName = (o: unknown) => (isObj(o) && typeof o.name === 'string' && o.name.trim() ? o.name.trim() : null);
  const creator = orgName(ev.Orgc) ?? orgName(ev.Org);
  const date = typeof ev.date === 'string' ? ev.date : 'undated';
  const level = THREAT_LEVEL[String(ev.threat_level_id)] ?? 'not given';
  const analysis = ANALYSIS[String(ev.analysis)] ?? 'not given';

  const where = (a: Attr) => (a.object ? ` (object ${a.object})` : '');
  const links = attrs.filter((a) => a.type === 'link');
  // A stable sort: within a rank the event's own order stays.
  const detect = attrs.filter((a) => a.toIds && a.type !== 'link' && a.type !== 'vulnerability').sort((x, y) => rank(x.type) - rank(y.type));
  const cves = new Set<string>();
  for (const a of attrs) if (a.type === 'vulnerability') for (const [c] of a.value.matchAll(CVE)) cves.add(c.toUpperCase());
  for (const t of uniqueTags) for (const [c] of t.matchAll(CVE)) cves.add(c.toUpperCase());
  const attack = techniques(uniqueTags, ev.Galaxy, attrs);
  const skipped = attrs.filter((a) => !a.toIds && a.type !== 'link' && a.type !== 'vulnerability');

  const paragraphs = [
    `MISP event ${uuid ?? '(no UUID)'}${creator ? ` created by ${creator}` : ''}, dated ${date}: threat level ${level}, analysis ${analysis}.`,
    ...section('Attributes MISP marks for detection (to_ids), with their MISP type:', detect.map((a) => `- ${a.type}${where(a)}: ${plain(a.type, a.value)}`)),
    ...section('Vulnerabilities named in the event:', [...cves].map((c) => `- vulnerability: ${c}`)),
    ...section('ATT&CK techniques named in the event:', [...attack].map(([id, name]) => `- ATT&CK technique ${id}: ${name}`)),
    ...(skipped.length === 0 ? [] : [
      `Not copied: ${skipped.length} attribute${skipped.length === 1 ? '' : 's'} that MISP does not mark for detection (${[...new Set(skipped.map((a) => a.type))].join(', ')}).`,
    ]),
    ...section('Tags:', uniqueTags.map((t) => `- tag: ${plain('tag', t)}`)),
    ...section('References (MISP link attributes):', links.map((a) => `- Read more in the referenced report: ${plain('link', a.value)}`)),
  ];
  const text = paragraphs.join('\n\n');
  const contentHash = contentHashOf(title, text);
  return {
    id: documentId(uuid ? `misp-event:${uuid}` : null, contentHash),
    contentHash,
    title,
    outlet: creator ?? 'MISP event',
    url: null,
    published: published(ev),
    format: 'text',
    text,
    origin,
    example: false,
  };
}
