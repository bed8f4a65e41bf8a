/** Plain-text blocklists of one IOC type, one refanged value a line, for firewalls, DNS filters and EDR hash lists. */
import type { Ioc, IocType, Item } from '../domain/index.js';

/**
 * The rule every machine-readable export shares: a benign reference (a victim's or outlet's own domain, a reserved
 * address, a well-known service) is never blocked, and a low-confidence value is for an analyst to judge, not for a
 * device to enforce.
 */
export const ACTIONABLE_CONFIDENCE: ReadonlySet<Ioc['confidence']> = new Set(['high', 'medium']);

export function isActionable(ioc: Ioc): boolean {
  return !ioc.benign && ACTIONABLE_CONFIDENCE.has(ioc.confidence);
}

// A line break or other control character in a value would smuggle a second entry (or a comment) into the list.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is what it finds
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;
const unsafe = (v: string) => v.search(CONTROL) >= 0 || v.startsWith('#') || v.trim() !== v || v === '';
const clean = (s: string) => s.replace(CONTROL, ' ');

const iso = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString());

/**
 * The actionable values of `type` across `items`, sorted by code unit (the same order on every machine) and
 * deduplicated, under a `#` header. `generatedAt` is passed in so the same items always give the same file.
 */
export function blocklist(items: readonly Item[], type: IocType, generatedAt: Date | string): string {
  const values = new Set<string>();
  const sources = new Set<string>();
  let skipped = 0;
  for (const item of items) {
    for (const ioc of item.iocs) {
      if (ioc.type !== type || !isActionable(ioc)) continue;
      if (unsafe(ioc.value)) {
        skipped++;
        continue;
      }
      values.add(ioc.value);
      sources.add(item.id);
    }
  }
  const header = [
    `# Vigil blocklist: ${type}`,
    `# Generated: ${clean(iso(generatedAt))}`,
    '# Rule: indicators not marked benign, with high or medium confidence; refanged, sorted, deduplicated.',
    `# Items: ${sources.size === 0 ? 'none' : [...sources].sort().map(clean).join(' ')}`,
    `# Entries: ${values.size}`,
  ];
  if (skipped > 0) header.push(`# Skipped: ${skipped} value(s) that would break the one-value-a-line format (a line break, control character, leading '#' or blank)`);
  const body = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${[...header, ...body].join('\n')}\n`;
}
