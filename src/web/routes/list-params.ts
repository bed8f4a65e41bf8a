/** The list's URL: query parameters to a search (refusing bad values by name) and back, so every view, chip and page is a link. */
import { SEVERITIES, TRIAGE_LEVELS } from '../../domain/index.js';
import type { SearchFilters, SearchSort } from '../../store/store.js';

export class ParamError extends Error {}

export interface ListParams {
  readonly q?: string;
  readonly filters: SearchFilters;
  readonly sort: SearchSort;
  readonly page: number;
}

/** Every parameter a list URL may carry, in the order links write them. */
export const LIST_KEYS = ['q', 'severity', 'triage', 'archetype', 'sector', 'vendor', 'source', 'technique', 'from', 'to', 'affects', 'unread', 'new', 'sort'] as const;
export type ListKey = (typeof LIST_KEYS)[number];

const MAX_VALUES = 20;
const MAX_TEXT = 200;
const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const YES = ['1', 'true', 'yes', 'on'];
const NO = ['0', 'false', 'no', 'off'];

type Read = (name: string) => string[];

/** Values of a parameter, repeated or comma-separated, blanks (an empty form field) dropped. */
function values(read: Read, name: string, split = true): string[] {
  const out = read(name).flatMap((v) => (split ? v.split(',') : [v])).map((v) => v.trim()).filter(Boolean);
  if (out.length > MAX_VALUES) throw new ParamError(`${name} takes at most ${MAX_VALUES} values`);
  return [...new Set(out)];
}

function oneOf(read: Read, name: string, allowed: readonly string[], normalise: (s: string) => string): string[] | undefined {
  const vs = values(read, name).map(normalise);
  const bad = vs.find((v) => !allowed.includes(v));
  if (bad !== undefined) throw new ParamError(`${name} must be one of ${allowed.join(', ')}; got "${bad.slice(0, 40)}"`);
  return vs.length > 0 ? vs : undefined;
}

function shaped(read: Read, name: string, shape: RegExp, what: string, normalise: (s: string) => string): string[] | undefined {
  const vs = values(read, name).map(normalise);
  const bad = vs.find((v) => !shape.test(v));
  if (bad !== undefined) throw new ParamError(`${name} must be ${what}; got "${bad.slice(0, 40)}"`);
  return vs.length > 0 ? vs : undefined;
}

function text(read: Read, name: string): string[] | undefined {
  // Names may hold commas ("Acme, Inc."): one value per parameter.
  const vs = values(read, name, false);
  if (vs.some((v) => v.length > MAX_TEXT)) throw new ParamError(`${name} must be at most ${MAX_TEXT} characters`);
  return vs.length > 0 ? vs : undefined;
}

function last(read: Read, name: string): string | undefined {
  const vs = read(name).map((v) => v.trim()).filter(Boolean);
  return vs[vs.length - 1];
}

function day(read: Read, name: string): string | undefined {
  const v = last(read, name);
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw new ParamError(`${name} must be a date YYYY-MM-DD; got "${v.slice(0, 40)}"`);
  }
  return v;
}

function flag(read: Read, name: string, allowed: { yes: readonly string[]; no: readonly string[] }): boolean | undefined {
  const v = last(read, name)?.toLowerCase();
  if (v === undefined) return undefined;
  if (allowed.yes.includes(v)) return true;
  if (allowed.no.includes(v)) return false;
  throw new ParamError(`${name} must be ${allowed.yes[0]} or ${allowed.no[0]}; got "${v.slice(0, 40)}"`);
}

/** Reads a list URL's parameters; `read(name)` gives every value of a parameter. */
export function parseListParams(read: Read): ListParams {
  const q = last(read, 'q');
  if (q !== undefined && q.length > 500) throw new ParamError('q must be at most 500 characters');
  const from = day(read, 'from');
  const to = day(read, 'to');
  if (from && to && from > to) throw new ParamError(`from (${from}) is after to (${to})`);
  const sort = last(read, 'sort') ?? 'priority';
  if (sort !== 'priority' && sort !== 'date') throw new ParamError(`sort must be priority or date; got "${sort.slice(0, 40)}"`);
  const rawPage = last(read, 'page') ?? '1';
  const page = Number(rawPage);
  if (!/^\d+$/.test(rawPage) || page < 1 || page > 100_000) throw new ParamError(`page must be a whole number from 1 to 100000; got "${rawPage.slice(0, 40)}"`);
  const filters: SearchFilters = {
    severity: oneOf(read, 'severity', SEVERITIES, (s) => s.toUpperCase()),
    triage: oneOf(read, 'triage', TRIAGE_LEVELS, (s) => s.toUpperCase()),
    archetype: shaped(read, 'archetype', ID, 'an archetype id (ransomware, third-party-saas-breach...)', (s) => s.toLowerCase()),
    sector: shaped(read, 'sector', ID, 'a sector id (healthcare, finance...)', (s) => s.toLowerCase()),
    vendor: text(read, 'vendor'),
    source: text(read, 'source'),
    technique: shaped(read, 'technique', TECHNIQUE, 'an ATT&CK technique id (T1190, T1566.002)', (s) => s.toUpperCase()),
    from,
    to,
    affectsUs: flag(read, 'affects', { yes: ['yes', ...YES], no: ['no', ...NO] }),
    unread: flag(read, 'unread', { yes: YES, no: NO }) || undefined,
    onlyNew: flag(read, 'new', { yes: YES, no: NO }) || undefined,
  };
  return { q, filters, sort, page };
}

/** The parameters as name/value pairs, in LIST_KEYS order: the one spelling of a list URL. */
export function listPairs(p: Pick<ListParams, 'q' | 'filters' | 'sort'>): [ListKey, string][] {
  const f = p.filters;
  const out: [ListKey, string][] = [];
  const many = (k: ListKey, vs: readonly string[] | undefined) => vs?.forEach((v) => out.push([k, v]));
  if (p.q) out.push(['q', p.q]);
  many('severity', f.severity);
  many('triage', f.triage);
  many('archetype', f.archetype);
  many('sector', f.sector);
  many('vendor', f.vendor);
  many('source', f.source);
  many('technique', f.technique);
  if (f.from) out.push(['from', f.from]);
  if (f.to) out.push(['to', f.to]);
  if (f.affectsUs !== undefined) out.push(['affects', f.affectsUs ? 'yes' : 'no']);
  if (f.unread) out.push(['unread', '1']);
  if (f.onlyNew) out.push(['new', '1']);
  if (p.sort !== 'priority') out.push(['sort', p.sort]);
  return out;
}

export function queryString(pairs: readonly (readonly [string, string])[]): string {
  return new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString();
}

/** A saved view's query: parsed and written again, so only list parameters are kept (never a page or a token). */
export function canonicalQuery(raw: string): string {
  const sp = new URLSearchParams(raw.replace(/^\?/, ''));
  return queryString(listPairs(parseListParams((n) => sp.getAll(n))));
}
