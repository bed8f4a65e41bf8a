/** The IOC table of items as RFC 4180 CSV, safe to open in a spreadsheet (no cell can run as a formula). */
import { stringify } from 'csv-stringify/sync';
import type { Item } from '../domain/index.js';

export const CSV_COLUMNS = [
  'item_id', 'item_title', 'type', 'value', 'display', 'confidence', 'benign', 'benign_reason', 'first_reported', 'source_url',
] as const;

/**
 * OWASP's CSV injection guidance: Excel, LibreOffice and Sheets run a cell that starts with one of these as a formula
 * (=HYPERLINK(...), +cmd|...!A0, @SUM(...)); a leading single quote makes every one of them read it as text.
 * Titles and values come from hostile reporting, so every cell is treated so, the header included.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One row per IOC of each item, benign references included and marked so (the CSV is the analyst's table; the
 * blocklist and MISP export are what devices enforce). `value` is refanged for tools, `display` defanged for people.
 * `source_url` is the item's first report with a URL: an IOC does not record which of several reports it came from.
 */
export function iocsToCsv(items: readonly Item[]): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const item of items) {
    const sourceUrl = item.sources.find((s) => s.url)?.url ?? '';
    for (const ioc of item.iocs) {
      rows.push([
        item.id, item.title, ioc.type, ioc.value, ioc.display, ioc.confidence, String(ioc.benign), ioc.benignReason ?? '',
        item.firstReported ?? '', sourceUrl,
      ]);
    }
  }
  // Every field quoted, as OWASP asks: a separator inside a cell can then never start a new (formula) cell.
  return stringify(rows.map((r) => r.map(csvCell)), { quoted: true, quoted_empty: true, record_delimiter: 'windows' });
}
