/** Hand-built facts and event contexts for the enrichment tests: only the fields a test sets differ from "nothing known". */
import type { Facts, LabelFact } from '../../src/domain/index.js';
import type { Profile } from '../../src/config/profile.js';
import type { ConditionSubject } from '../../src/enrich/conditions.js';
import type { EventContext } from '../../src/enrich/context.js';

const evidence = (text: string) => ({ text, rule: 'test', documentId: 'doc-test' });
export const label = (id: string, text = id): LabelFact => ({ id, label: id.toUpperCase(), evidence: evidence(text) });

export function facts(over: Partial<Facts> = {}): Facts {
  return {
    organisations: [], products: [], cves: [], cwes: [], cvssVectors: [], attackIds: [], advisories: [], techniques: [], weaknesses: [],
    iocs: [], dataTypes: [], statuses: [], sectors: [], signals: [], actors: [], dates: [], disruption: null, affectedCount: null, ...over,
  };
}

export function affected(n: number): Facts['affectedCount'] {
  return { value: n, evidence: evidence(`${n} people were affected`) };
}

export function context(over: Partial<EventContext> = {}): EventContext {
  return {
    victims: [], vendor: null, product: null, products: [], actor: null, cves: [], windowStart: null, windowEnd: null,
    discovered: null, disclosed: null, asOf: '2026-12-01', dataTypes: [], iocCount: 0, ...over,
  };
}

export function profile(over: Partial<Profile> = {}): Profile {
  return { sectors: [], jurisdictions: [], regimes: [], vendors: [], products: [], tools: [], ...over };
}

export function subject(f: Facts, over: Partial<ConditionSubject> = {}): ConditionSubject {
  return { facts: f, archetype: 'general-incident', sector: null, profile: null, iocCount: 0, hasVendor: false, ...over };
}
