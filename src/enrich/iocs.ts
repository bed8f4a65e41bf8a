/** The IOC table: each extracted indicator with its context sentence, a confidence and the rule behind it, benign references and MISP warninglist hits marked. */
import type { Document, Facts, Ioc, RawIoc } from '../domain/index.js';
import type { FalsePositive } from '../domain/work.js';
import { type Catalogs, NO_CATALOGS } from '../knowledge/catalogs.js';
import type { BenignDomain } from '../knowledge/kb-schema.js';
import type { WarninglistHit } from '../knowledge/warninglists.js';
import { KIND_EFFECT, LOWERED_BECAUSE } from '../knowledge/warninglists-kinds.js';
import { isReservedAddress } from '../extract/iocs.js';
import { reportAt } from '../extract/merge-facts.js';
import { defang } from '../extract/refang.js';
import { type Sentence, sentenceAt } from '../extract/sentences.js';

const MALICIOUS_CONTEXT = /\b(c2|c&c|command[- ](and[- ])?control|malicious|indicators?( of compromise)?|iocs?|beacon|exfiltrat|payload|dropper|implant|backdoor|attacker[- ](controlled|owned)|phishing|lookalike|typosquat|staging|webshell|web shell|loader|stealer)\b/i;
const REFERENCE_CONTEXT = /\b(website|web site|notice (page|at)|support (article|page)|help (center|page)|portal at|visit|call center|press release|blog post|advisory at|learn more|read more|subscribe)\b/i;
const RESERVED_TLD = /\.(example|test|invalid|localhost|local)$/;

/** The host an indicator names: the domain itself, a URL's host, an e-mail address's domain. */
export function hostOf(ioc: Pick<RawIoc, 'type' | 'value'>): string | null {
  if (ioc.type === 'domain') return ioc.value;
  if (ioc.type === 'email') return ioc.value.split('@')[1] ?? null;
  if (ioc.type === 'url') {
    try {
      return new URL(ioc.value).hostname;
    } catch {
      return null;
    }
  }
  return null;
}

const registrable = (host: string) => host.split('.').slice(-2).join('.');

/** Why an indicator is a benign reference, or null. Benign values are kept and shown, never exported as malicious. */
function benignReason(ioc: RawIoc, facts: Facts, documents: readonly Document[], context: string, known: readonly BenignDomain[], suspect: ReadonlySet<string>): string | null {
  if (ioc.type === 'ipv4' || ioc.type === 'ipv6' || ioc.type === 'cidr') return isReservedAddress(ioc.value.split('/')[0]);
  const host = hostOf(ioc);
  if (!host) return null;
  for (const d of documents) {
    const own = d.url ? hostOf({ type: 'url', value: d.url }) : null;
    if (own && registrable(own) === registrable(host)) return `the reporting outlet's own domain (${d.outlet})`;
  }
  const service = known.find((k) => host === k.domain || host.endsWith(`.${k.domain}`));
  if (service) return `well-known service domain: ${service.owner} (kb/benign-domains.yaml)`;
  // A lookalike is built from the victim's name, so a name match alone never clears a domain: it must be
  // written plainly, cited as a reference, and never appear defanged or as malicious anywhere in the text.
  const label = registrable(host).split('.')[0];
  const org = facts.organisations.find((o) => {
    if (o.role !== 'victim' && o.role !== 'vendor') return false;
    const words = o.name.toLowerCase().split(/\s+/).map((w) => w.replace(/[^a-z0-9]/g, '')).filter(Boolean);
    return words[0]?.length >= 4 && (label === words[0] || label === words.join('') || label === words.slice(0, 2).join(''));
  });
  if (org && !ioc.defanged && !suspect.has(registrable(host)) && !MALICIOUS_CONTEXT.test(context)) return `${org.name}'s own domain (${org.role}), cited as a reference`;
  if (RESERVED_TLD.test(host) && !ioc.defanged) return 'reserved documentation domain (RFC 2606 / RFC 6761)';
  if (REFERENCE_CONTEXT.test(context) && !ioc.defanged && !suspect.has(registrable(host)) && !MALICIOUS_CONTEXT.test(context)) return 'cited as a reference page, not as an indicator';
  return null;
}

/** A domain written as the host of a URL or e-mail address is that URL or address, not a second indicator. */
function containers(all: readonly RawIoc[]): (raw: RawIoc) => boolean {
  const spans = all.filter((o) => o.type === 'url' || o.type === 'email').map((o) => [o.start, o.end]).sort((a, b) => a[0] - b[0]);
  return (raw) => {
    if (raw.type !== 'domain') return false;
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid][0] <= raw.start) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && spans[hi][1] >= raw.end;
  };
}

// Bare system folders name no file and indicate nothing by themselves.
const GENERIC_PATH = /^(\/(var\/)?tmp|\/etc|\/usr(\/local)?|\/opt|\/home|c:\\(windows|users|programdata|temp)(\\public|\\temp)?)[\\/]?$/i;

/**
 * What the MISP warninglists say of a value. Lists of special-use and non-malicious values mark it benign
 * whatever the text says; a vendor blog or analysis service, only when the text does not treat it as
 * hostile and no list of popular or shared hosts holds it too (github.com is on both). Popular and shared
 * hosts (pastebin.com, raw.githubusercontent.com, cloud ranges) only lower confidence: attackers use them.
 */
function warned(hits: readonly WarninglistHit[], hostile: boolean): { benign: WarninglistHit | null; lowered: WarninglistHit | null } {
  const lowering = hits.find((h) => KIND_EFFECT[h.kind] === 'lower-confidence') ?? null;
  const reference = hits.find((h) => KIND_EFFECT[h.kind] === 'benign-unless-hostile') ?? null;
  const benign = hits.find((h) => KIND_EFFECT[h.kind] === 'benign') ?? (reference && !hostile && !lowering ? reference : null);
  return { benign, lowered: benign ? null : lowering ?? reference };
}

const LOWER: Record<Ioc['confidence'], Ioc['confidence']> = { high: 'medium', medium: 'low', low: 'low' };

/** Why the analysts' false-positive list clears a value, or null: their decision outranks every heuristic. */
function analystFalsePositive(raw: RawIoc, listed: ReadonlyMap<string, FalsePositive>): string | null {
  const fp = listed.get(`${raw.type} ${raw.value}`);
  return fp ? `rejected as a false positive by ${fp.addedBy} on ${fp.addedAt.slice(0, 10)}: ${fp.reason}` : null;
}

/**
 * `falsePositives` is the analysts' persistent list (Store.falsePositives()), read by the caller: a listed value is kept,
 * marked benign with the analyst's reason, and so never exported as malicious.
 */
export function iocTable(
  facts: Facts, documents: readonly Document[], sentences: readonly Sentence[], known: readonly BenignDomain[],
  catalogs: Pick<Catalogs, 'warninglists'> = NO_CATALOGS, falsePositives: readonly FalsePositive[] = [],
): Ioc[] {
  const listed = new Map(falsePositives.map((fp) => [`${fp.type} ${fp.value}`, fp]));
  const inside = containers(facts.iocs);
  const standalone = facts.iocs.filter((raw) => !inside(raw) && !(raw.type === 'path' && GENERIC_PATH.test(raw.value)));
  const contextOf = (raw: RawIoc) => sentenceAt(sentences, raw.start)?.text ?? raw.raw;
  const reportOf = reportAt(documents);
  // Domains the text treats as hostile anywhere: no heuristic may call them benign elsewhere.
  const suspect = new Set(
    facts.iocs.filter((r) => r.defanged || MALICIOUS_CONTEXT.test(contextOf(r))).map(hostOf).filter((h): h is string => !!h).map(registrable),
  );
  return standalone.map((raw) => {
    const context = contextOf(raw);
    const rejected = analystFalsePositive(raw, listed);
    let benign = rejected ?? benignReason(raw, facts, documents, context, known, suspect);
    const host = hostOf(raw);
    const hostile = raw.defanged || MALICIOUS_CONTEXT.test(context) || (!!host && suspect.has(registrable(host)));
    const warning = benign ? { benign: null, lowered: null } : warned(catalogs.warninglists(raw.value, raw.type), hostile);
    if (warning.benign) benign = `MISP warninglist: ${warning.benign.name}`;
    let confidence: Ioc['confidence'];
    let rule: string;
    if (rejected) {
      confidence = 'low';
      rule = "on the analysts' false-positive list";
    } else if (warning.benign) {
      confidence = 'low';
      rule = 'on a MISP warninglist of benign values';
    } else if (benign) {
      confidence = 'low';
      rule = /^(ipv4|ipv6|cidr)$/.test(raw.type) ? 'special-use address, never an indicator' : 'benign reference';
    } else if (raw.defanged) {
      confidence = 'high';
      rule = 'defanged by the author, which marks an indicator';
    } else if (MALICIOUS_CONTEXT.test(context)) {
      confidence = 'high';
      rule = 'stated next to indicator or malicious-infrastructure wording';
    } else {
      confidence = 'medium';
      rule = 'appears in the reporting without indicator wording';
    }
    if (warning.lowered) {
      confidence = LOWER[confidence];
      rule = `${rule}; lowered: on MISP warninglist "${warning.lowered.name}" (${LOWERED_BECAUSE[warning.lowered.kind]})`;
    }
    const report = reportOf(raw.start);
    return {
      type: raw.type,
      value: raw.value,
      display: defang(raw.value, raw.type),
      context: context.length > 300 ? `${context.slice(0, 299)}…` : context,
      confidence,
      rule,
      benign: benign !== null,
      benignReason: benign,
      ...(report ? { documentId: report.id } : {}),
    };
  });
}
