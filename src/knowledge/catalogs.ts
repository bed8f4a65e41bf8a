/** Lookups into the official reference catalogs (ATT&CK, CWE, SP 800-53, KEV, EPSS) and MISP warninglists imported into the store; empty until imported. */
export interface AttackTechniqueEntry {
  readonly name: string;
  readonly tactics: readonly string[];
  readonly revoked: boolean;
  readonly deprecated: boolean;
  /** The id that replaces a revoked technique (its revoked-by relationship, followed to the end); null otherwise. */
  readonly revokedBy?: string | null;
  readonly domain?: 'enterprise' | 'mobile' | 'ics';
  /** The parent of a sub-technique (T1059 for T1059.001). */
  readonly parent?: string | null;
  readonly url?: string | null;
  /** ATT&CK mitigation ids (M1036) that mitigate it. */
  readonly mitigations?: readonly string[];
  /** ATT&CK 18 detection strategies, the data components their analytics read and the log sources named. */
  readonly detection?: AttackDetection | null;
}
export interface AttackDetection {
  readonly strategies: readonly { id: string; name: string }[];
  readonly dataComponents: readonly { id: string; name: string }[];
  readonly logSources: readonly { name: string; channel?: string }[];
}
/** Where a cross-walk row comes from: the publication and its version. */
export interface Provenance {
  readonly publication: string;
  readonly version: string;
}
/** One row of a cross-walk: the id mapped to, its title, the mapping's type where the publication gives one, and its provenance. */
export interface CrosswalkRow {
  readonly id: string;
  readonly title: string;
  readonly mappingType: string | null;
  readonly source: Provenance;
  /** How the row was reached when not directly (a revoked technique followed, a base control's mapping used). */
  readonly note?: string;
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
  /** A NIST CSF 2.0 category or subcategory: its title (a subcategory's statement) and whether CSF 2.0 keeps it. */
  csf(id: string): { title: string; active: boolean } | null;
  mitigation(id: string): { name: string } | null;
  /** SP 800-53r5 controls that mitigate a technique (CTID Mappings Explorer), the technique's revoked-by followed. */
  controlsForTechnique(id: string): readonly CrosswalkRow[];
  /** ATT&CK techniques a KEV CVE is mapped to (CTID KEV mappings), with the mapping type (exploitation_technique...). */
  techniquesForCve(cve: string): readonly CrosswalkRow[];
  /** CSF subcategories NIST maps an SP 800-53r5 control to. */
  csfForControl(id: string): readonly CrosswalkRow[];
  /** HIPAA Security Rule sections for an SP 800-53r5 control or a CSF 2.0 id (kb/crosswalks). */
  hipaaFor(id: string): readonly CrosswalkRow[];
  /** CIS Controls v8 safeguards for an SP 800-53r5 control or a CSF 2.0 id (kb/crosswalks). */
  cisFor(id: string): readonly CrosswalkRow[];
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
  csf: () => null,
  mitigation: () => null,
  controlsForTechnique: () => [],
  techniquesForCve: () => [],
  csfForControl: () => [],
  hipaaFor: () => [],
  cisFor: () => [],
  products: () => [],
  attackName: () => null,
});

export const ATTACK_TACTIC_ORDER = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
  'defense-evasion', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control',
  'exfiltration', 'impact',
] as const;
