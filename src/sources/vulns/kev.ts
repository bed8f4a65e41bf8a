/** CISA Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json) into one patch per CVE. */
import type { CveDataPatch } from '../../domain/cve-data.js';
import type { KevEntry } from '../../knowledge/catalogs.js';
import { isObject, parseJson, VulnDataError } from './errors.js';
import { cveId, cweId, dedupe, isoDate } from './normalise.js';

const SOURCE = 'KEV catalog';

export interface KevParseResult {
  readonly records: CveDataPatch[];
  /** catalogVersion, e.g. "2025.08.25". */
  readonly version: string;
  /** dateReleased as published (ISO 8601), or null. */
  readonly released: string | null;
  readonly warnings: string[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/**
 * Every entry becomes `{ cve, kev, cwes }`. A CVE missing from a full catalog is not in KEV any more (CISA does remove
 * entries), so the importer, not this parser, must patch `kev: null` for CVEs it knew and the new catalog lacks.
 */
export function parseKevCatalog(input: string): KevParseResult {
  const j = parseJson(input, SOURCE);
  if (!isObject(j)) throw new VulnDataError('wrong-format', SOURCE, 'is not a JSON object');
  if (!Array.isArray(j.vulnerabilities)) {
    throw new VulnDataError('wrong-format', SOURCE, 'has no "vulnerabilities" list (is this the CISA KEV JSON file?)');
  }
  if (typeof j.catalogVersion !== 'string' || j.catalogVersion.trim() === '') {
    throw new VulnDataError('wrong-format', SOURCE, 'has no "catalogVersion"');
  }
  const warnings: string[] = [];
  const records: CveDataPatch[] = [];
  const seen = new Set<string>();
  const skipped: string[] = [];

  j.vulnerabilities.forEach((v: unknown, i: number) => {
    const at = `vulnerabilities[${i}]`;
    if (!isObject(v)) return void skipped.push(`${at} is not an object`);
    const cve = cveId(v.cveID);
    if (cve === null) return void skipped.push(`${at} has an invalid cveID ${JSON.stringify(v.cveID)}`);
    const dateAdded = isoDate(v.dateAdded);
    if (dateAdded === null) return void skipped.push(`${cve} has an invalid dateAdded ${JSON.stringify(v.dateAdded)}`);
    if (seen.has(cve)) return void skipped.push(`${cve} is listed twice; the first entry is kept`);
    seen.add(cve);

    const dueDate = v.dueDate == null || v.dueDate === '' ? null : isoDate(v.dueDate);
    if (dueDate === null && v.dueDate != null && v.dueDate !== '') warnings.push(`${cve}: invalid dueDate ${JSON.stringify(v.dueDate)} read as none`);
    const ransomware = text(v.knownRansomwareCampaignUse);
    if (ransomware !== 'Known' && ransomware !== 'Unknown') {
      warnings.push(`${cve}: knownRansomwareCampaignUse ${JSON.stringify(v.knownRansomwareCampaignUse)} read as Unknown`);
    }
    const kev: KevEntry = {
      dateAdded,
      dueDate,
      knownRansomwareUse: ransomware === 'Known',
      requiredAction: text(v.requiredAction),
      vendor: text(v.vendorProject),
      product: text(v.product),
    };
    const cwes = Array.isArray(v.cwes) ? dedupe(v.cwes.map(cweId).filter((c): c is string => c !== null)) : [];
    records.push({ cve, kev, cwes });
  });

  if (records.length === 0 && skipped.length > 0) {
    throw new VulnDataError('wrong-format', SOURCE, `has no valid entry (${skipped[0]})`);
  }
  if (skipped.length > 0) warnings.unshift(`${SOURCE}: skipped ${skipped.length} entries: ${skipped.slice(0, 5).join('; ')}${skipped.length > 5 ? '; …' : ''}`);
  if (typeof j.count === 'number' && j.count !== j.vulnerabilities.length) {
    warnings.push(`${SOURCE}: "count" says ${j.count} but the list has ${j.vulnerabilities.length} entries`);
  }
  return {
    records,
    version: j.catalogVersion.trim(),
    released: typeof j.dateReleased === 'string' ? j.dateReleased : null,
    warnings,
  };
}
