/** Finds products from the KEV vendor/product gazetteer in text, with the versions and version ranges written beside them. */
import type { Confidence, Product, VersionRange } from '../domain/index.js';
import type { KevProduct } from '../knowledge/catalogs.js';
import { evidenceOf } from './evidence.js';
import type { Sentence } from './sentences.js';

const VERSION = /\b(?:v(?:ersions?)?\s*)?(\d+\.\d+(?:\.\d+){0,2}(?:[-.][A-Za-z0-9]+)?|\d+\.x)\b/g;
// Where a sentence turns from affected releases to fixed or unaffected ones.
const FIX_TURN = /\b(fixed|patched|resolved|addressed) in\b|\bnot affected\b|\bupgrade to\b|\bupdate to\b|\bfixes? (is|are) expected\b/i;

/** The part of a text after a product name that speaks of affected releases. */
function affectedPart(tail: string): string {
  const stop = FIX_TURN.exec(tail);
  return stop ? tail.slice(0, stop.index) : tail;
}

/** Versions written after a product name, up to where the text turns to fixed or unaffected releases. */
export function affectedVersions(tail: string): string[] {
  return [...new Set([...affectedPart(tail).matchAll(VERSION)].map((v) => v[1]))].slice(0, 6);
}

const V = String.raw`(?:versions?\s+|v)?(\d+(?:\.\d+){0,3}(?:[-_.]?(?:rc|beta|alpha|build|r|p|u|h)\d+|_\d+)?)`;
const RANGE_RULES: { re: RegExp; range: (m: RegExpMatchArray) => Omit<VersionRange, 'text'> }[] = [
  { re: new RegExp(String.raw`\b(?:from\s+)?${V}\s*(?:through|thru|up to and including|to|until|-|–|—)\s*${V}(?!\.?\d)`, 'gi'), range: (m) => ({ from: m[1], to: m[2], toInclusive: true }) },
  { re: new RegExp(String.raw`(?:\b(?:before|prior to|earlier than|older than|lower than|below|up to but not including)\s+|<\s*)${V}`, 'gi'), range: (m) => ({ from: null, to: m[1], toInclusive: false }) },
  { re: new RegExp(String.raw`(?:\bup to (?:and including\s+)?|<=\s*|≤\s*)${V}`, 'gi'), range: (m) => ({ from: null, to: m[1], toInclusive: true }) },
  { re: new RegExp(String.raw`${V}\s+(?:and|or)\s+(?:earlier|prior|older|below|lower)\b`, 'gi'), range: (m) => ({ from: null, to: m[1], toInclusive: true }) },
  { re: new RegExp(String.raw`(?:(?:>=|≥)\s*${V}|${V}\s+(?:and|or)\s+(?:later|newer|above|higher)\b)`, 'gi'), range: (m) => ({ from: m[1] ?? m[2], to: null, toInclusive: true }) },
];

/** Ranges of affected versions in a text after a product name: "before 7.4.2", "7.0 through 7.4.1", "6.4 and earlier". */
export function versionRanges(tail: string): VersionRange[] {
  const text = affectedPart(tail);
  const out: (VersionRange & { at: number; end: number })[] = [];
  for (const rule of RANGE_RULES) {
    for (const m of text.matchAll(rule.re)) {
      const at = m.index ?? 0;
      const end = at + m[0].length;
      if (out.some((r) => at < r.end && end > r.at)) continue;
      out.push({ text: m[0].trim(), ...rule.range(m), at, end });
    }
  }
  return out.sort((a, b) => a.at - b.at).slice(0, 6).map(({ at, end, ...r }) => r);
}

interface Entry {
  readonly vendor: string;
  readonly product: string;
  readonly cves: number;
  /** Lower-cased tokens the text must contain before the patterns are tried. */
  readonly needle: string;
  readonly name: RegExp;
  readonly vendorName: RegExp;
  /** "Windows", "Exchange Server", "Apex One": ordinary capitalised words, a product only beside its vendor or a version. */
  readonly plain: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// "SMA 100", "SMA-100" and "SMA100"; "PAN-OS" and "PAN OS": tokens split at separators and letter-digit turns.
const tokens = (name: string) => name.split(/[\s_./-]+|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])/).filter(Boolean);
const joined = (name: string) => tokens(name).map(escape).join('[\\s._-]?');
const CORPORATE = /\s+(?:Networks|Systems|Software|Inc\.?|Corporation|Corp\.?|Labs|Platforms|Technologies|Group|Wireless|Electric)$/;

function vendorVariants(vendor: string): string[] {
  const out = new Set<string>();
  const paren = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(vendor);
  const base = paren ? paren[1] : vendor;
  if (paren) out.add(paren[2]);
  out.add(base);
  out.add(base.replace(CORPORATE, ''));
  for (const part of base.split(/\s+and\s+/)) out.add(part);
  return [...out].filter((v) => v.length >= 2);
}

// KEV products named by a protocol or a kind ("VPN", "DNS"): every text about networks writes them.
const GENERIC_TERM = /^(?:VPN|SSL VPN|DNS|SMB|RDP|SSH|FTP|HTTP|HTTPS|API|SQL|LDAP|SNMP|NTP|DHCP|IPsec|VoIP|IoT|NAS|DVR|NVR|CMS|CRM|ERP|SAML|OAuth)$/i;

function isPlain(name: string): boolean {
  const words = name.split(/\s+/);
  return GENERIC_TERM.test(name) || (words.length <= 2 && words.every((w) => /^[A-Z][a-z]+$/.test(w)));
}

function compile(kev: readonly KevProduct[]): Entry[] {
  const out: Entry[] = [];
  for (const k of kev) {
    const paren = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(k.product);
    const names = paren ? [paren[1], paren[2]] : [k.product];
    // Case-sensitive: "Progress", "Quest" and "Arm" are vendors only as written with their capitals.
    const vendorName = new RegExp(`(?<![\\p{L}\\p{N}])(?:${vendorVariants(k.vendor).map(joined).join('|')})(?![\\p{L}\\p{N}])`, 'u');
    for (const name of names) {
      if (tokens(name).join('').length < 3) continue;
      const plain = isPlain(name) || (paren !== null && name === paren[2] && name.length < 3);
      const pattern = `(?<![\\p{L}\\p{N}_-])${joined(name)}(?![\\p{L}\\p{N}_]|-\\p{L})`;
      out.push({
        vendor: k.vendor, product: k.product, cves: k.cves, needle: tokens(name)[0].toLowerCase(),
        name: new RegExp(pattern, plain ? 'gu' : 'giu'), vendorName, plain,
      });
    }
  }
  return out;
}

const compiled = new WeakMap<readonly KevProduct[], Entry[]>();

/** The gazetteer's patterns, compiled once per gazetteer. */
function entriesOf(kev: readonly KevProduct[]): Entry[] {
  let entries = compiled.get(kev);
  if (!entries) {
    entries = compile(kev);
    compiled.set(kev, entries);
  }
  return entries;
}

interface Mention { entry: Entry; sentence: Sentence; at: number; end: number; confidence: Confidence }

/** Products from the KEV gazetteer named in the text: the longest name at a place wins ("Exchange Server" over "Exchange"). */
export function findKevProducts(sentences: readonly Sentence[], kev: readonly KevProduct[]): Product[] {
  if (kev.length === 0) return [];
  const entries = entriesOf(kev);
  const lower = sentences.map((s) => s.text.toLowerCase());
  const whole = lower.join('\n');
  const candidates = entries.filter((e) => whole.includes(e.needle));
  const mentions: Mention[] = [];
  for (const [i, s] of sentences.entries()) {
    const found: Mention[] = [];
    for (const e of candidates) {
      if (!lower[i].includes(e.needle)) continue;
      for (const m of s.text.matchAll(e.name)) {
        const at = m.index ?? 0;
        const end = at + m[0].length;
        const vendorNear = e.vendorName.test(s.text);
        const versionNext = /^\s*(?:v(?:ersion)?\s*)?\d/i.test(s.text.slice(end, end + 12));
        if (e.plain && !vendorNear && !versionNext) continue;
        const confidence: Confidence = vendorNear ? 'high' : e.plain ? 'medium' : tokens(m[0]).length > 1 ? 'high' : 'medium';
        found.push({ entry: e, sentence: s, at, end, confidence });
      }
    }
    // A name inside a longer one at the same place ("Chrome" in "Chrome Blink") is that longer product.
    found.sort((x, y) => x.at - y.at);
    for (const f of found) {
      const longer = found.some((g) => g !== f && g.at <= f.at && g.end >= f.end && g.end - g.at > f.end - f.at);
      const same = found.find((g) => g.at === f.at && g.end === f.end);
      if (!longer && same === f) mentions.push(f);
    }
  }
  const byProduct = new Map<string, Product>();
  for (const m of mentions) {
    const key = `${m.entry.vendor}|${m.entry.product}`.toLowerCase();
    const tail = m.sentence.text.slice(m.end, m.end + 200);
    const versions = affectedVersions(tail);
    const ranges = versionRanges(tail);
    const prev = byProduct.get(key);
    if (prev) {
      for (const v of versions) if (!prev.versions.includes(v)) prev.versions.push(v);
      for (const r of ranges) if (!prev.ranges!.some((x) => x.text === r.text)) prev.ranges!.push(r);
      if (m.confidence === 'high') prev.confidence = 'high';
      continue;
    }
    byProduct.set(key, {
      name: m.entry.product, vendor: m.entry.vendor, versions, ranges,
      evidence: evidenceOf(m.sentence, 'product:kev-gazetteer'), confidence: m.confidence,
    });
  }
  return [...byProduct.values()];
}

const nameKey = (p: Product) => p.name.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * Gazetteer products first; a product read from phrasing that names the same thing ("FortiOS" beside KEV's
 * "FortiOS", "SMA 100 series" beside "SMA 100") adds its versions and ranges to it instead of standing alone.
 */
export function mergeProducts(gazetteer: readonly Product[], phrased: readonly Product[]): Product[] {
  const out = gazetteer.map((p) => ({ ...p, versions: [...p.versions], ranges: [...(p.ranges ?? [])] }));
  for (const p of phrased) {
    const key = nameKey(p);
    const same = out.find((g) => {
      const k = nameKey(g);
      return k === key || (key.length >= 4 && (k.endsWith(key) || key.endsWith(k) || key.startsWith(k)));
    });
    if (!same) {
      out.push({ ...p, ranges: [...(p.ranges ?? [])] });
      continue;
    }
    for (const v of p.versions) if (!same.versions.includes(v)) same.versions.push(v);
    for (const r of p.ranges ?? []) if (!same.ranges.some((x) => x.text === r.text)) same.ranges.push(r);
  }
  return out;
}

// KEV "vendors" that are open-source projects, languages or protocols rather than organisations.
const PROJECT_VENDOR = /^(Linux|Android|Nice|Npm package|Sudo|Perl|Git|Rails|PHP|Erlang|OpenBSD|WebRTC|IETF|Spreadsheet::ParseExcel|Looking Glass|Checkbox|XStream|JQuery|ChakraCore|WebKitGTK|FreeType|7-Zip|Exim|Samba|Redis|OpenSSL|ImageMagick|Nostromo|Unraid|Webmin|Cacti|Roundcube|Zabbix|Treck TCP\/IP stack|Code Aurora|SIMalliance|reviewdog|tj-actions)$/;

/** The KEV vendors the text names, as the text writes them: organisations before any rule gives them a role. */
export function kevVendorsIn(sentences: readonly Sentence[], kev: readonly KevProduct[]): string[] {
  if (kev.length === 0) return [];
  const entries = entriesOf(kev);
  const text = sentences.map((s) => s.text).join('\n');
  const out = new Set<string>();
  const tried = new Set<RegExp>();
  for (const e of entries) {
    if (tried.has(e.vendorName) || PROJECT_VENDOR.test(e.vendor)) continue;
    tried.add(e.vendorName);
    const m = e.vendorName.exec(text);
    if (m) out.add(m[0]);
  }
  return [...out];
}
