/** MISP warninglists: read from their publication into a compact index at `vigil kb import`, then looked up per IOC value. */
import fs from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import path from 'node:path';
import type { IocType } from '../domain/ioc.js';
import { WARNINGLISTS, type WarninglistKind } from './warninglists-kinds.js';

export interface WarninglistHit {
  /** The list's folder in misp-warninglists, its stable id. */
  readonly list: string;
  readonly name: string;
  readonly kind: WarninglistKind;
}

type MatchType = 'string' | 'substring' | 'hostname' | 'cidr';

/** One list as kept in the store: addresses as numeric ranges, everything else as lower-case strings. */
interface StoredList {
  id: string; name: string; kind: WarninglistKind; type: MatchType; version: number;
  /** MISP attribute types the list applies to; null for all. */
  attributes: string[] | null;
  values?: string[];
  /** IPv4 addresses listed alone and IPv4 blocks as [first, last] pairs, sorted, merged, as base64 of 32-bit numbers. */
  v4?: string;
  v4ranges?: string;
  /** IPv6 ranges as pairs of hexadecimal first and last addresses. */
  v6?: string[];
}

interface StoredIndex { source: string; lists: StoredList[] }

/* ---------- addresses ---------- */

function v4Number(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function v6Number(address: string): bigint {
  // An IPv4 tail (::ffff:192.0.2.1) is two groups written in decimal.
  const ip = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [l, r] = ip.includes('::') ? ip.split('::') : [ip, null];
  const left = l ? l.split(':') : [];
  const right = r ? r.split(':') : [];
  const groups = r === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
}

/** First and last address of an entry: a block (1.2.3.0/24, 2001:db8::/32) or a single address. */
function range(entry: string): { v: 4 | 6; first: bigint; last: bigint } | null {
  const [ip, bits] = entry.trim().split('/');
  const v = isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : null;
  if (!v) return null;
  const width = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return null;
  const n = v === 4 ? BigInt(v4Number(ip)) : v6Number(ip.toLowerCase());
  const host = (1n << BigInt(width - prefix)) - 1n;
  return { v, first: n & ~host, last: (n & ~host) | host };
}

const encode = (ns: readonly number[]): string => Buffer.from(Uint32Array.from(ns).buffer).toString('base64');

function decode(b64: string | undefined): number[] {
  const bytes = Buffer.from(b64 ?? '', 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(bytes.readUInt32LE(i));
  return out;
}

/* ---------- import ---------- */

function listOf(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${what} is not a list of strings`);
  return value;
}

/** One list.json checked against the shape of misp-warninglists' schema.json, then made compact. */
function storedList(id: string, kind: WarninglistKind, json: unknown): StoredList {
  const j = json as Record<string, unknown>;
  if (!j || typeof j !== 'object' || Array.isArray(j)) throw new Error(`${id}: not an object`);
  if (typeof j.name !== 'string' || typeof j.description !== 'string' || !Number.isInteger(j.version)) {
    throw new Error(`${id}: name, description and an integer version are required`);
  }
  const type = j.type ?? 'string';
  if (type !== 'string' && type !== 'substring' && type !== 'hostname' && type !== 'cidr') {
    throw new Error(`${id}: type ${String(type)} is not read (string, substring, hostname, cidr)`);
  }
  const entries = listOf(j.list, `${id}: list`);
  const attributes = j.matching_attributes === undefined ? null : listOf(j.matching_attributes, `${id}: matching_attributes`);
  const out: StoredList = { id, name: j.name, kind, type, version: j.version as number, attributes };
  if (type !== 'cidr') {
    out.values = [...new Set(entries.map((e) => e.trim().toLowerCase()).filter(Boolean))].sort();
    return out;
  }
  const v4: [number, number][] = []; const v6: [bigint, bigint][] = [];
  for (const e of entries) {
    const r = range(e);
    if (!r) throw new Error(`${id}: ${JSON.stringify(e)} is no address or block`);
    if (r.v === 4) v4.push([Number(r.first), Number(r.last)]); else v6.push([r.first, r.last]);
  }
  v4.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [first, last] of v4) {
    if (merged.length > 0 && first <= merged[merged.length - 1] + 1) merged[merged.length - 1] = Math.max(merged[merged.length - 1], last);
    else merged.push(first, last);
  }
  // Sixty thousand resolvers are single addresses: kept as one number each, a third of the size of JSON pairs.
  const singles: number[] = []; const blocks: number[] = [];
  for (let i = 0; i < merged.length; i += 2) {
    if (merged[i] === merged[i + 1]) singles.push(merged[i]); else blocks.push(merged[i], merged[i + 1]);
  }
  if (singles.length > 0) out.v4 = encode(singles);
  if (blocks.length > 0) out.v4ranges = encode(blocks);
  if (v6.length > 0) out.v6 = v6.sort((a, b) => (a[0] < b[0] ? -1 : 1)).flatMap(([a, b]) => [a.toString(16), b.toString(16)]);
  return out;
}

/**
 * Reads DIR/misp-warninglists, given its schema.json: the lists named in WARNINGLISTS that are present
 * under lists/, each checked against that schema's shape. The lists stay where they were published.
 */
export function readWarninglists(schemaText: string, schemaFile: string): { version: string; data: StoredIndex; entries: number } {
  const schema = JSON.parse(schemaText) as { required?: unknown };
  if (!Array.isArray(schema.required) || !schema.required.includes('list')) throw new Error('schema.json is not the warninglists schema');
  const dir = path.dirname(schemaFile);
  const lists: StoredList[] = [];
  for (const [id, kind] of Object.entries(WARNINGLISTS)) {
    const file = path.join(dir, 'lists', id, 'list.json');
    if (!fs.existsSync(file)) continue;
    lists.push(storedList(id, kind, JSON.parse(fs.readFileSync(file, 'utf8'))));
  }
  if (lists.length === 0) throw new Error('none of the lists Vigil reads is present under lists/');
  const entries = lists.reduce((n, l) => n + (l.values?.length ?? 0) + decode(l.v4).length + decode(l.v4ranges).length / 2 + (l.v6?.length ?? 0) / 2, 0);
  // A copy records the commit it was taken from (index.json, beside the lists); otherwise the newest list's own version.
  const indexFile = path.join(dir, 'index.json');
  const source = fs.existsSync(indexFile) ? String((JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { source?: unknown }).source ?? '') : '';
  const commit = /@([0-9a-f]{7,40})$/.exec(source)?.[1];
  const version = commit ? commit.slice(0, 12) : String(Math.max(...lists.map((l) => l.version)));
  return { version, data: { source: source || 'MISP/misp-warninglists', lists }, entries };
}

/* ---------- lookup ---------- */

/** The MISP attribute types that stand for each of Vigil's IOC types. */
const ATTRIBUTES: Partial<Record<IocType, readonly string[]>> = {
  ipv4: ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip'],
  ipv6: ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip'],
  cidr: ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip'],
  domain: ['domain', 'hostname', 'domain|ip'],
  url: ['url', 'uri'],
  md5: ['md5', 'filename|md5'],
  sha1: ['sha1', 'filename|sha1'],
  sha256: ['sha256', 'filename|sha256'],
  sha512: ['sha512', 'filename|sha512'],
  ssdeep: ['ssdeep', 'filename|ssdeep'],
};

/** The host and its parent domains: a.b.example.com, b.example.com, example.com, com. */
function* suffixes(host: string): Generator<string> {
  for (let i = 0; ;) {
    yield host.slice(i);
    const dot = host.indexOf('.', i);
    if (dot < 0) return;
    i = dot + 1;
  }
}

const add = (map: Map<string, number[]>, key: string, list: number) => {
  const at = map.get(key);
  if (!at) map.set(key, [list]); else if (at[at.length - 1] !== list) at.push(list);
};

/** Every list's entries in a few maps keyed by value, so a lookup costs a handful of map reads, not one per list. */
class Lookup {
  private readonly hits: WarninglistHit[];
  private readonly types: Set<IocType>[];
  private readonly exact = new Map<string, number[]>();
  /** Names whose subdomains are listed: hostname entries, and string entries with a leading dot (MISP's "any name under"). */
  private readonly under = new Map<string, number[]>();
  /** Hostname entries: the name itself is listed too. */
  private readonly named = new Map<string, number[]>();
  private readonly substrings: { entry: string; list: number }[] = [];
  private readonly v4: { list: number; singles: number[]; ranges: number[] }[] = [];
  private readonly v6: { list: number; ranges: bigint[] }[] = [];

  constructor(lists: readonly StoredList[]) {
    // The kind is read from WARNINGLISTS as it is now, so a change there needs no new import.
    this.hits = lists.map((l) => ({ list: l.id, name: l.name, kind: WARNINGLISTS[l.id] ?? l.kind }));
    this.types = lists.map((l) => new Set((Object.keys(ATTRIBUTES) as IocType[])
      .filter((t) => l.attributes === null || ATTRIBUTES[t]!.some((a) => l.attributes!.includes(a)))));
    lists.forEach((l, k) => {
      if (l.v4 || l.v4ranges) this.v4.push({ list: k, singles: decode(l.v4), ranges: decode(l.v4ranges) });
      if (l.v6) this.v6.push({ list: k, ranges: l.v6.map((h) => BigInt(`0x${h}`)) });
      for (const v of l.values ?? []) {
        if (l.type === 'substring') this.substrings.push({ entry: v, list: k });
        else if (l.type === 'hostname') { add(this.named, v.replace(/^\./, ''), k); add(this.under, v.replace(/^\./, ''), k); }
        else if (v.startsWith('.')) add(this.under, v.slice(1), k);
        else add(this.exact, v, k);
      }
    });
  }

  /** The lists holding `value` read as `as`, among those that apply to `type`. */
  find(value: string, type: IocType, as: 'host' | 'ip' | 'text', into: Set<number>): void {
    const take = (lists: readonly number[] | undefined) => { for (const k of lists ?? []) if (this.types[k].has(type)) into.add(k); };
    if (as === 'ip') {
      if (isIPv4(value)) {
        const n = v4Number(value);
        for (const { list, singles, ranges } of this.v4) if (this.types[list].has(type) && (inSorted(singles, n) || inRanges(ranges, n))) into.add(list);
      } else if (isIPv6(value)) {
        const n = v6Number(value);
        for (const { list, ranges } of this.v6) {
          if (!this.types[list].has(type)) continue;
          for (let i = 0; i < ranges.length; i += 2) if (n >= ranges[i] && n <= ranges[i + 1]) { into.add(list); break; }
        }
      }
    }
    take(this.exact.get(value));
    if (as === 'host') {
      take(this.named.get(value));
      for (const s of suffixes(value)) if (s !== value) take(this.under.get(s));
    }
    if (as !== 'ip') for (const { entry, list } of this.substrings) if (this.types[list].has(type) && value.includes(entry)) into.add(list);
  }

  hit(k: number): WarninglistHit { return this.hits[k]; }
}

function inSorted(xs: readonly number[], n: number): boolean {
  let lo = 0; let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] === n) return true;
    if (xs[mid] < n) lo = mid + 1; else hi = mid - 1;
  }
  return false;
}

/** Whether n lies in one of the sorted, disjoint [first, last] pairs. */
function inRanges(ranges: readonly number[], n: number): boolean {
  let lo = 0; let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (n < ranges[2 * mid]) hi = mid - 1; else if (n > ranges[2 * mid + 1]) lo = mid + 1; else return true;
  }
  return false;
}

/** The host a URL names, without the brackets of an IPv6 literal; null when it is no URL. */
function urlHost(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase() || null;
  } catch {
    return null;
  }
}

/**
 * Looks a value up in every list that applies to its type. An address is matched against blocks, a
 * host against names and their parents; a URL as itself and by its host, an e-mail address by its
 * domain (the lists that apply to hosts apply to the host a URL or address names).
 */
export function warninglistLookup(data: unknown): (value: string, type: IocType) => WarninglistHit[] {
  const lists = (data as StoredIndex | null)?.lists ?? [];
  if (lists.length === 0) return () => [];
  const lookup = new Lookup(lists);
  return (value, type) => {
    const v = value.toLowerCase();
    const found = new Set<number>();
    // A URL's host and an e-mail address's domain are read by the lists for hosts; a URL's by those for URLs too.
    const host = (h: string | null, also: IocType | null) => {
      if (!h) return;
      const ip = isIPv4(h) ? 'ipv4' : isIPv6(h) ? 'ipv6' : null;
      const types: (IocType | null)[] = [ip ?? 'domain', also];
      for (const t of types) if (t) lookup.find(h, t, ip ? 'ip' : 'host', found);
    };
    if (type === 'ipv4' || type === 'ipv6') lookup.find(v, type, 'ip', found);
    else if (type === 'cidr') lookup.find(v.split('/')[0], type, 'ip', found);
    else if (type === 'domain') host(v, null);
    else if (type === 'url') { lookup.find(v, type, 'text', found); host(urlHost(value), 'url'); }
    else if (type === 'email') host(v.slice(v.lastIndexOf('@') + 1), null);
    else if (ATTRIBUTES[type]) lookup.find(v, type, 'text', found);
    return [...found].sort((a, b) => a - b).map((k) => lookup.hit(k));
  };
}
