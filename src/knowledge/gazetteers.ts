/** Gazetteers derived from official catalogs: the KEV catalog's vendor and product names, cleaned, with how many KEV CVEs each has. */
import type { KevProduct } from './catalogs.js';

/** The fields of a KEV record a gazetteer reads (cisagov known_exploited_vulnerabilities.json, `vulnerabilities[]`). */
export interface KevRecord {
  readonly cveID: string;
  readonly vendorProject: string;
  readonly product: string;
}

// "Multiple Products", "Multiple Chipsets": a catch-all entry names no product the text could.
const CATCH_ALL = /^multiple\b|^various\b|^unspecified\b/i;
// "SMA 100 Appliances", "DIR-600 Router": the device class after the name is not part of it.
const DEVICE_CLASS = /\s+(?:appliances?|routers?|devices?|series(?: switches| routers)?|switches|cameras?|products?|firmware)$/i;

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The product name a text would use for a KEV product field. */
export function kevProductName(raw: string): string | null {
  let name = clean(raw);
  if (!name || CATCH_ALL.test(name)) return null;
  for (let before = ''; before !== name;) {
    before = name;
    const cut = name.replace(DEVICE_CLASS, '');
    if (cut.length >= 2) name = cut;
  }
  return name;
}

/**
 * One entry per vendor and product (names compared case-insensitively), with the number of KEV CVEs that name it.
 * Accepts the catalog JSON object or its `vulnerabilities` array; a record without the three fields is an error.
 */
export function kevGazetteer(catalog: unknown): KevProduct[] {
  const records = Array.isArray(catalog) ? catalog : (catalog as { vulnerabilities?: unknown } | null)?.vulnerabilities;
  if (!Array.isArray(records)) throw new Error('KEV catalog: expected an object with a "vulnerabilities" array, or that array');
  const byKey = new Map<string, { vendor: string; product: string; cves: Set<string> }>();
  for (const [i, r] of records.entries()) {
    const rec = r as Partial<KevRecord> | null;
    if (!rec || typeof rec.cveID !== 'string' || typeof rec.vendorProject !== 'string' || typeof rec.product !== 'string') {
      throw new Error(`KEV catalog: record ${i} lacks cveID, vendorProject or product`);
    }
    const vendor = clean(rec.vendorProject);
    const product = kevProductName(rec.product);
    if (!vendor || !product) continue;
    const key = `${vendor.toLowerCase()}|${product.toLowerCase()}`;
    const entry = byKey.get(key) ?? { vendor, product, cves: new Set<string>() };
    entry.cves.add(rec.cveID.toUpperCase());
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map((e) => ({ vendor: e.vendor, product: e.product, cves: e.cves.size }))
    .sort((a, b) => b.cves - a.cves || a.vendor.localeCompare(b.vendor) || a.product.localeCompare(b.product));
}
