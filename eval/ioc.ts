/** IOC extraction and refang scored against the peers' labelled cases, Vigil and ioc-extractor side by side. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractIOC, refang as peerRefang } from 'ioc-extractor';
import { IOC_TYPES, type IocType, type RawIoc } from '../src/domain/ioc.js';
import { extractIocs } from '../src/extract/iocs.js';
import { asciiHost, normaliseIpv4, normaliseIpv6 } from '../src/extract/ioc-validate.js';
import { defang, refang } from '../src/extract/refang.js';
import type { EvalRun } from './main.js';

interface Case {
  id: string; text: string; library: string; function?: string; complete: boolean;
  types_checked?: string[]; options?: Record<string, unknown>;
  expected: Record<string, string[]>; must_include?: Record<string, string[]>; must_exclude?: Record<string, string[]>;
  positional?: { type: string; index: number; value: string }[];
}
interface RefangCase { input: string; function: string; expected: string; library: string }

/** Peer type names onto ours. xmpp addresses are e-mail shaped, imphash/authentihash digest shaped: Vigil does not split them. */
const PEER_TYPE: Record<string, IocType> = {
  ipv4: 'ipv4', ipv6: 'ipv6', ipv4_cidr: 'cidr', domain: 'domain', url: 'url', email: 'email', xmpp: 'email',
  md5: 'md5', imphash: 'md5', sha1: 'sha1', sha256: 'sha256', authentihash: 'sha256', sha512: 'sha512', ssdeep: 'ssdeep',
  registry_key: 'registry', file_path: 'path', asn: 'asn', btc: 'btc', xmr: 'xmr', mac: 'mac',
};
/** Peer types only ioc-finder has; for the others a type maps one to one. */
const FINDER_ONLY = new Set(['xmpp', 'imphash', 'authentihash', 'ipv4_cidr', 'registry_key', 'file_path']);
const PEER_KEYS: Record<string, IocType> = {
  asns: 'asn', btcs: 'btc', domains: 'domain', emails: 'email', ipv4s: 'ipv4', ipv6s: 'ipv6', macAddresses: 'mac',
  md5s: 'md5', sha1s: 'sha1', sha256s: 'sha256', sha512s: 'sha512', ssdeeps: 'ssdeep', urls: 'url', xmrs: 'xmr',
};

const contributors = (library: string, t: IocType): string[] =>
  Object.entries(PEER_TYPE).filter(([p, o]) => o === t && (library === 'ioc-finder' || !FINDER_ONLY.has(p))).map(([p]) => p);

function normaliseUrl(v: string): string {
  const s = /^[a-z][\w+.-]*:\/\//i.test(v) ? v : `http://${v}`;
  const m = /^([a-z][\w+.-]*):\/\/([^/?#]*)(.*)$/is.exec(s);
  if (!m) return s;
  const at = m[2].lastIndexOf('@');
  const user = m[2].slice(0, at + 1);
  const hp = /^(\[[^\]]*\]|.*?)(:\d+)?$/s.exec(m[2].slice(at + 1))!;
  const host = hp[1].startsWith('[') ? `[${normaliseIpv6(hp[1].slice(1, -1)) ?? hp[1].slice(1, -1)}]`
    : normaliseIpv4(hp[1]) ?? asciiHost(hp[1]) ?? hp[1].toLowerCase();
  return `${m[1].toLowerCase()}://${user}${host}${hp[2] ?? ''}${m[3]}`;
}

/** One value in the form Vigil emits, whatever the peer's convention (raw defanged, case kept...). */
export function normalise(t: IocType, raw: string): string {
  const v = refang(raw).trim();
  switch (t) {
    case 'url': return normaliseUrl(v);
    case 'domain': return asciiHost(v) ?? v.toLowerCase();
    case 'email': {
      const k = v.lastIndexOf('@');
      const host = v.slice(k + 1).replace(/^\[|\]$/g, '');
      const h = normaliseIpv4(host) ? `[${normaliseIpv4(host)}]` : asciiHost(host) ?? host.toLowerCase();
      return `${v.slice(0, k).toLowerCase()}@${h}`;
    }
    case 'ipv4': return normaliseIpv4(v) ?? v;
    case 'ipv6': return normaliseIpv6(v) ?? v.toLowerCase();
    case 'cidr': { const [ip, bits] = v.split('/'); return `${normaliseIpv4(ip) ?? normaliseIpv6(ip) ?? ip}/${Number(bits)}`; }
    case 'md5': case 'sha1': case 'sha256': case 'sha512': return v.toLowerCase().replace(/^0x/, '');
    case 'asn': return `AS${Number(v.replace(/^ASN?\s*/i, ''))}`;
    case 'mac': return (v.replace(/[^0-9a-f]/gi, '').toLowerCase().match(/../g) ?? []).join(':');
    case 'registry': return v.replace(/\\\\+/g, '\\');
    case 'btc': return /^(bc|tb)1/i.test(v) ? v.toLowerCase() : v;
    default: return v;
  }
}

type Bag = Map<IocType, Set<string>>;
const bag = (): Bag => new Map(IOC_TYPES.map((t) => [t, new Set<string>()]));

/** Whether domain item d is the host of URL item u (not a name inside its path or query). */
function isUrlHost(text: string, d: RawIoc, u: RawIoc): boolean {
  if (d.start < u.start || d.end > u.end) return false;
  const before = text.slice(u.start, d.start).replace(/^[a-z*]+(?:\[?:\]?\/\/|\[:\/\/\]|:\\\\|:?__)\s?/i, '');
  return !/[/?#]/.test(before);
}

function vigilOutput(c: Case): Bag {
  const o = c.options ?? {};
  let items = extractIocs(c.text);
  if (o.refang === false) items = items.filter((i) => !i.defanged);
  const urls = items.filter((i) => i.type === 'url');
  const emails = items.filter((i) => i.type === 'email');
  items = items.filter((d) => {
    if (d.type !== 'domain') return true;
    const host = urls.some((u) => isUrlHost(c.text, d, u));
    // ioc-finder's "URL path" is the path proper: names in the query string are still reported.
    const inPath = !host && urls.some((u) => d.start >= u.start && d.end <= u.end && !/[?#]/.test(c.text.slice(u.start, d.start)));
    if (o.parse_domain_from_url === false && host) return false;
    if (o.parse_from_url_path === false && inPath) return false;
    const inEmail = emails.some((e) => d.start >= e.start && d.end <= e.end);
    return !(inEmail && (o.parse_domain_from_email_address === false || o.parse_domain_name_from_xmpp_address === false));
  });
  const out = bag();
  for (const i of items) out.get(i.type)!.add(i.value);
  // The peers report the address inside a CIDR as an address too (ioc-finder: parse_address_from_cidr).
  if (o.parse_address_from_cidr !== false) {
    for (const i of items) if (i.type === 'cidr' && i.value.includes('.')) out.get('ipv4')!.add(i.value.split('/')[0]);
  }
  return out;
}

function peerOutput(c: Case): Bag {
  const o = c.options ?? {};
  const ioc = extractIOC(c.text, { refang: o.refang !== false, strict: o.strict !== false }) as unknown as Record<string, string[]>;
  const out = bag();
  for (const [k, t] of Object.entries(PEER_KEYS)) for (const v of ioc[k] ?? []) out.get(t)!.add(normalise(t, v));
  const hosts = new Set([...out.get('url')!].map((u) => /^[a-z]+:\/\/(?:[^@/]*@)?([^/:?#]+)/i.exec(u)?.[1] ?? ''));
  const mailHosts = new Set([...out.get('email')!].map((e) => e.slice(e.lastIndexOf('@') + 1)));
  for (const d of [...out.get('domain')!]) {
    if ((o.parse_domain_from_url === false && hosts.has(d)) || (o.parse_domain_from_email_address === false && mailHosts.has(d))) {
      out.get('domain')!.delete(d);
    }
  }
  return out;
}

interface Count { tp: number; fp: number; fn: number }
type Tally = Map<IocType, Count>;
const tally = (): Tally => new Map(IOC_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));

/** Adds one case to a tally; returns the misses for inspection. */
function score(c: Case, got: Bag, into: Tally): string[] {
  const misses: string[] = [];
  const exactListed = new Set(c.complete ? c.types_checked ?? [] : Object.keys(c.expected));
  const include = new Map<string, string[]>();
  for (const [k, vs] of Object.entries(c.must_include ?? {})) include.set(k, [...(include.get(k) ?? []), ...vs]);
  for (const p of c.positional ?? []) include.set(p.type, [...(include.get(p.type) ?? []), p.value]);
  for (const t of IOC_TYPES) {
    const peers = contributors(c.library, t);
    const ours = got.get(t)!;
    const n = (vs: string[]) => vs.map((v) => normalise(t, v));
    const listed = peers.filter((p) => exactListed.has(p));
    const cnt = into.get(t)!;
    if (listed.length > 0 && listed.length === peers.length) {
      const exp = new Set(peers.flatMap((p) => n(c.expected[p] ?? [])));
      for (const v of ours) if (exp.has(v)) cnt.tp++; else { cnt.fp++; misses.push(`FP ${t} ${v}`); }
      for (const v of exp) if (!ours.has(v)) { cnt.fn++; misses.push(`FN ${t} ${v}`); }
      continue;
    }
    const inc = new Set(peers.flatMap((p) => n([...(include.get(p) ?? []), ...(listed.includes(p) ? c.expected[p] ?? [] : [])])));
    for (const v of inc) if (ours.has(v)) cnt.tp++; else { cnt.fn++; misses.push(`FN ${t} ${v}`); }
    for (const v of new Set(peers.flatMap((p) => n(c.must_exclude?.[p] ?? [])))) if (ours.has(v)) { cnt.fp++; misses.push(`FP ${t} ${v} (must exclude)`); }
  }
  return misses;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
function prf(c: Count) {
  const p = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const r = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  return { precision: r3(p), recall: r3(r), f1: r3(p + r === 0 ? 0 : (2 * p * r) / (p + r)), ...c };
}
function table(t: Tally) {
  const per: Record<string, ReturnType<typeof prf>> = {};
  const all: Count = { tp: 0, fp: 0, fn: 0 };
  for (const [type, c] of t) {
    if (c.tp + c.fp + c.fn === 0) continue;
    per[type] = prf(c);
    all.tp += c.tp; all.fp += c.fp; all.fn += c.fn;
  }
  return { overall: prf(all), perType: per };
}

function inferType(v: string): IocType {
  if (/^[a-z][\w+.-]*:\/\//i.test(v)) return 'url';
  if (normaliseIpv4(v)) return 'ipv4';
  if (v.includes('@')) return 'email';
  return 'domain';
}

const readJsonl = <T>(file: string): T[] => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);

export const run: EvalRun = async (options) => {
  const cases = readJsonl<Case>(path.join(options.data, 'ioc_cases.jsonl'));
  const ours = tally(); const peer = tally();
  const misses: string[] = [];
  let scored = 0;
  for (const c of cases) {
    const before = [...ours.values()].reduce((n, x) => n + x.tp + x.fp + x.fn, 0);
    const m = score(c, vigilOutput(c), ours);
    score(c, peerOutput(c), peer);
    if ([...ours.values()].reduce((n, x) => n + x.tp + x.fp + x.fn, 0) > before) scored++;
    if (m.length) misses.push(`${c.id}: ${m.join('; ')}`);
  }

  const refangCases = readJsonl<RefangCase>(path.join(options.data, 'refang_cases.jsonl'));
  let okOurs = 0; let okPeer = 0; let peerTried = 0;
  const refangMisses: string[] = [];
  for (const c of refangCases) {
    let got: string;
    if (c.function === 'defang') got = defang(c.input, inferType(c.input));
    else {
      got = refang(c.input);
      if (c.function === 'refang_url' && !/^[a-z][\w+.-]*:\/\//i.test(got)) got = `http://${got}`;
      peerTried++;
      let p = peerRefang(c.input);
      if (c.function === 'refang_url' && !/^[a-z][\w+.-]*:\/\//i.test(p)) p = `http://${p}`;
      if (p === c.expected) okPeer++;
    }
    if (got === c.expected) okOurs++; else refangMisses.push(`${c.input} => ${got} (want ${c.expected})`);
  }

  const vigil = table(ours); const ioc = table(peer);
  const sideBySide: Record<string, { vigil: number; iocExtractor: number }> = {};
  for (const t of Object.keys(vigil.perType)) sideBySide[t] = { vigil: vigil.perType[t].f1, iocExtractor: ioc.perType[t]?.f1 ?? 0 };
  sideBySide.overall = { vigil: vigil.overall.f1, iocExtractor: ioc.overall.f1 };
  return {
    cases: cases.length,
    scoredCases: scored,
    note: 'micro P/R/F1 over normalised values; exact sets where the case asserts them, membership (recall, must_exclude as FP) elsewhere',
    f1SideBySide: sideBySide,
    vigil,
    iocExtractor: ioc,
    refang: {
      cases: refangCases.length,
      vigilExact: r3(okOurs / refangCases.length),
      iocExtractorExact: r3(okPeer / Math.max(1, peerTried)),
      iocExtractorCases: peerTried,
      misses: refangMisses,
    },
    ...(process.env.IOC_EVAL_MISSES ? { misses } : {}),
  };
};
