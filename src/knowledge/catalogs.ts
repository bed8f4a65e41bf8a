/** Lookups into the official reference catalogs (ATT&CK, CWE, SP 800-53, KEV, EPSS) and MISP warninglists imported into the store; empty until imported. */
export interface AttackTechniqueEntry {
  readonly name: string;
  readonly tactics: readonly string[];
  readonly revoked: boolean;
  readonly deprecated: boolean;
}
export interface KevEntry {
  readonly dateAdded: string;
  readonly dueDate: string | null;
  readonly knownRansomwareUse: boolean;
  readonly requiredAction: string;
  readonly vendor: string;
  readonly product: string;
}
export interface EpssEntry {
  readonly probability: number;
  readonly percentile: number;
  readonly date: string;
}

import type { CveData } from '../domain/cve-data.js';
import type { IocType } from '../domain/ioc.js';
import type { WarninglistHit } from './warninglists.js';

export interface Catalogs {
  /** Catalog name to version, recorded in each enrichment ("attack": "18.1"). */
  readonly versions: Readonly<Record<string, string>>;
  technique(id: string): AttackTechniqueEntry | null;
  tacticName(shortname: string): string | null;
  cwe(id: string): { name: string; owasp: readonly string[] } | null;
  control(id: string): { title: string } | null;
  kev(cve: string): KevEntry | null;
  epss(cve: string): EpssEntry | null;
  /** What NVD, the CNA and CISA's Vulnrichment say of a CVE (CVSS, CWE, SSVC), when a source has fetched it. */
  cveData(cve: string): CveData | null;
  /** Threat group and malware names with their ATT&CK ids, for recognising actors in text. */
  actors(): readonly { id: string; name: string; aliases: readonly string[]; kind: 'group' | 'malware' | 'tool' }[];
  /** The MISP warninglists an IOC value is on (a list's folder, its name and what a hit means). */
  warninglists(value: string, type: IocType): readonly WarninglistHit[];
  /** Vendor and product names from the KEV catalog with their CVE counts (src/knowledge/gazetteers.ts builds them), for recognising products in text. */
  products?(): readonly KevProduct[];
  /** The ATT&CK name of a tactic (TA0001), mitigation (M1032), campaign (C0024), data source (DS0017) or data component (DC0001) id. */
  attackName?(id: string): string | null;
}

export interface KevProduct {
  readonly vendor: string;
  readonly product: string;
  readonly cves: number;
}

/** The catalogs a fresh install has before `vigil kb import`: every lookup answers "not known". */
export const NO_CATALOGS: Catalogs = Object.freeze({
  versions: {},
  technique: () => null,
  tacticName: () => null,
  cwe: () => null,
  control: () => null,
  kev: () => null,
  epss: () => null,
  cveData: () => null,
  actors: () => [],
  warninglists: () => [],
  products: () => [],
  attackName: () => null,
});

export const ATTACK_TACTIC_ORDER = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
  'defense-evasion', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control',
  'exfiltration', 'impact',
] as const;
