/** An item as a MISP event (MISP core format JSON): its indicators, CVEs, sources, TLP and ATT&CK galaxy tags. */
import { getDomain } from 'tldts';
import { v5 as uuidv5 } from 'uuid';
import type { Ioc, IocType, Item, Severity } from '../domain/index.js';
import { isActionable } from './blocklist.js';

/** Never change it: the same item must map to the same event UUID so a re-export updates the event in MISP. */
export const VIGIL_MISP_NAMESPACE = '61492edc-ae8d-4daf-95ab-60554097b917';

export type Tlp = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export interface MispOptions {
  /** Default clear: the export holds only what public reporting says and Vigil's knowledge, nothing from the profile. */
  tlp?: Tlp;
  /** The creator organisation; without it MISP makes the importing organisation the creator. */
  orgName?: string;
  /**
   * That organisation's MISP UUID. MISP finds a creator by UUID, else by name, so none is made up: an invented one would
   * give the organisation a second record. MISP's strict schema wants it; the lax one (and MISP's import) does not.
   */
  orgUuid?: string;
}

export interface MispAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  distribution: string;
  comment: string;
  timestamp: string;
}

export interface MispTag { name: string }

export interface MispEvent {
  Event: {
    uuid: string;
    info: string;
    date: string;
    threat_level_id: string;
    analysis: string;
    distribution: string;
    published: boolean;
    timestamp: string;
    Orgc?: { name: string; uuid?: string };
    Attribute: MispAttribute[];
    Tag: MispTag[];
  };
}

interface AttributeKind {
  type: string;
  category: string;
  /** MISP's own default (describeTypes sane_defaults.to_ids): an AS is a whole network, a MAC never leaves its LAN. */
  ids: boolean;
}

/**
 * Vigil IOC type → MISP attribute type and category; the pairs are ones MISP's describeTypes.json allows (the
 * tests check each against it). Direction is unknown in reporting: an address is where victims connect (ip-dst) and
 * an e-mail address the sender of the lure (email-src), as MISP's freetext import assumes too.
 */
export const MISP_ATTRIBUTES: Readonly<Record<IocType, AttributeKind>> = {
  ipv4: { type: 'ip-dst', category: 'Network activity', ids: true },
  ipv6: { type: 'ip-dst', category: 'Network activity', ids: true },
  cidr: { type: 'ip-dst', category: 'Network activity', ids: true },
  domain: { type: 'domain', category: 'Network activity', ids: true },
  url: { type: 'url', category: 'Network activity', ids: true },
  email: { type: 'email-src', category: 'Payload delivery', ids: true },
  md5: { type: 'md5', category: 'Payload delivery', ids: true },
  sha1: { type: 'sha1', category: 'Payload delivery', ids: true },
  sha256: { type: 'sha256', category: 'Payload delivery', ids: true },
  sha512: { type: 'sha512', category: 'Payload delivery', ids: true },
  ssdeep: { type: 'ssdeep', category: 'Payload delivery', ids: true },
  file: { type: 'filename', category: 'Payload delivery', ids: true },
  path: { type: 'filename', category: 'Artifacts dropped', ids: true },
  registry: { type: 'regkey', category: 'Persistence mechanism', ids: true },
  asn: { type: 'AS', category: 'Network activity', ids: false },
  btc: { type: 'btc', category: 'Financial fraud', ids: true },
  xmr: { type: 'xmr', category: 'Financial fraud', ids: true },
  mac: { type: 'mac-address', category: 'Network activity', ids: false },
};

/** A name below a registrable domain (public suffix list, private section included) is a hostname to MISP. */
const HOSTNAME: AttributeKind = { type: 'hostname', category: 'Network activity', ids: true };

export function mispKindOf(ioc: Pick<Ioc, 'type' | 'value'>): AttributeKind {
  if (ioc.type === 'domain') {
    const registrable = getDomain(ioc.value, { allowPrivateDomains: true });
    if (registrable && registrable !== ioc.value) return HOSTNAME;
  }
  return MISP_ATTRIBUTES[ioc.type];
}

/** MISP stores an AS as its number (AttributeValidationTool strips "AS"); every other value goes as Vigil keeps it. */
const mispValue = (ioc: Ioc) => (ioc.type === 'asn' ? ioc.value.replace(/^AS/i, '') : ioc.value);

/** MISP threat levels: 1 high, 2 medium, 3 low, 4 undefined. An informational item names no threat. */
const THREAT_LEVEL: Readonly<Record<Severity, string>> = { CRITICAL: '1', HIGH: '1', MEDIUM: '2', LOW: '3', INFORMATIONAL: '4' };

/**
 * The TLP tag (misp-taxonomies tlp, v2.0 values) and the widest MISP distribution that honours it: 3 all communities,
 * 1 this community, 0 this organisation. MISP can widen a distribution later; it cannot recall a synced event.
 */
const TLP: Readonly<Record<Tlp, { tag: string; distribution: string }>> = {
  clear: { tag: 'tlp:clear', distribution: '3' },
  green: { tag: 'tlp:green', distribution: '1' },
  amber: { tag: 'tlp:amber', distribution: '0' },
  'amber+strict': { tag: 'tlp:amber+strict', distribution: '0' },
  red: { tag: 'tlp:red', distribution: '0' },
};

/** Every item is built by rules from reporting, with no analyst in the loop until someone reviews it (misp taxonomy). */
const AUTOMATION_TAG = 'misp:automation-level="unsupervised"';

/** Attributes inherit the event's distribution (5), so one TLP decision governs the whole event. */
const INHERIT = '5';
/** 0: initial. Vigil's analysis is a first, machine-made one; an analyst moves it on in MISP. */
const ANALYSIS_INITIAL = '0';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const unixSeconds = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

/**
 * A technique Vigil could not name (no catalog imported) carries its id in its name; the galaxy tag must be MISP's exact
 * cluster value ("Name - ID"), so such a technique goes into a text attribute instead of a tag that would match nothing.
 */
const named = (name: string) => !/\bT\d{4}\b/.test(name);

/**
 * The item as a MISP event. Benign references are left out: MISP correlates, feeds and exports every attribute, not only
 * to_ids ones, so a victim's own domain or a documentation address would link unrelated events and land in
 * blocklists. Vigil's own IOC table keeps them, with the reason. An indicator is to_ids when it is actionable
 * (not benign, high or medium confidence, the blocklist rule) and MISP makes IDS signatures of its type.
 * Only techniques observed in the reporting are tagged: playbook expectations are not facts about this event.
 */
export function itemToMisp(item: Item, options: MispOptions = {}): MispEvent {
  const tlp = TLP[options.tlp ?? 'clear'];
  const timestamp = unixSeconds(item.enrichment.enrichedAt);
  const attributes: MispAttribute[] = [];
  const seen = new Set<string>();
  const add = (type: string, category: string, value: string, toIds: boolean, comment: string) => {
    const key = `${type}|${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    attributes.push({
      uuid: uuidv5(`${item.id}|${key}`, VIGIL_MISP_NAMESPACE), type, category, value, to_ids: toIds, distribution: INHERIT,
      comment: clip(comment, 1000), timestamp,
    });
  };

  for (const ioc of item.iocs) {
    if (ioc.benign) continue;
    const kind = mispKindOf(ioc);
    const why = isActionable(ioc) && !kind.ids ? '; MISP makes no IDS signature of this type' : '';
    add(kind.type, kind.category, mispValue(ioc), isActionable(ioc) && kind.ids,
      `Vigil: ${ioc.confidence} confidence (${ioc.rule})${why}. Context: ${ioc.context}`);
  }
  const notes = new Map(item.vulnerabilities.map((v) => [v.cve, v.note]));
  for (const cve of new Set([...item.vulnerabilities.map((v) => v.cve), ...item.facts.cves.map((c) => c.id)])) {
    add('vulnerability', 'External analysis', cve, false, `Cited in the reporting. ${notes.get(cve) ?? ''}`.trim());
  }
  for (const s of item.sources) {
    if (s.url) add('link', 'External analysis', s.url, false, `Source report: ${s.outlet}: ${s.title}${s.published ? ` (${s.published})` : ''}`);
  }
  const observed = item.attack.filter((t) => t.basis === 'observed');
  const unnamed = observed.filter((t) => !named(t.name)).map((t) => t.id);
  if (unnamed.length > 0) {
    add('text', 'External analysis', `ATT&CK techniques observed in the reporting: ${unnamed.join(', ')}`, false,
      'Vigil had no name for these techniques (no ATT&CK catalog imported), so they are not galaxy tags.');
  }

  const tags = [tlp.tag, AUTOMATION_TAG, ...observed.filter((t) => named(t.name)).map((t) => galaxyTag(t.id, t.name))];
  return {
    Event: {
      uuid: uuidv5(item.id, VIGIL_MISP_NAMESPACE),
      // The example documents are fictional; in a MISP instance nothing else would say so.
      info: item.example ? `${item.title} (Vigil example: fictional)` : item.title,
      date: (item.firstReported ?? item.asOf).slice(0, 10),
      threat_level_id: THREAT_LEVEL[item.severity.level],
      analysis: ANALYSIS_INITIAL,
      distribution: tlp.distribution,
      // Publishing sends it to every connected instance: that stays an analyst's decision.
      published: false,
      timestamp,
      ...(options.orgName ? { Orgc: { name: options.orgName, ...(options.orgUuid ? { uuid: options.orgUuid } : {}) } } : {}),
      Attribute: attributes,
      Tag: [...new Set(tags)].map((name) => ({ name })),
    },
  };
}

/** The mitre-attack-pattern galaxy's tag: its cluster values are "Name - ID", quoted. */
export function galaxyTag(id: string, name: string): string {
  return `misp-galaxy:mitre-attack-pattern="${name.replace(/"/g, "'")} - ${id}"`;
}
