/** Reads MITRE's CWE Weakness_Catalog XML (plain, gzip, or the single-file zip MITRE publishes) into id → name, status and OWASP Top 10 2021 categories (view 1344). */
import zlib from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';

export interface CweEntry {
  readonly name: string;
  readonly type: 'weakness' | 'category' | 'view';
  readonly status: string;
  /** OWASP Top 10 2021 categories ("A03:2021") the entry belongs to through view 1344. */
  readonly owasp: readonly string[];
}

export interface CweIndex {
  readonly version: string;
  readonly date: string | null;
  readonly entries: Record<string, CweEntry>;
  /** "A01:2021" → its title ("Broken Access Control"), from the view's categories. */
  readonly owaspCategories: Record<string, string>;
}

export const OWASP_2021_VIEW = '1344';

/** The first file of a zip archive, stored or deflated: MITRE ships the catalog as one XML in a zip. */
function unzipFirst(bytes: Buffer): Buffer {
  if (bytes.readUInt32LE(0) !== 0x04034b50) throw new Error('not a zip archive');
  const method = bytes.readUInt16LE(8);
  const flags = bytes.readUInt16LE(6);
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  const start = 30 + nameLength + extraLength;
  // With a data descriptor the sizes in the local header are zero: inflate to the stream's own end instead.
  const size = flags & 0x08 ? bytes.length - start : bytes.readUInt32LE(18);
  const data = bytes.subarray(start, start + size);
  if (method === 0) return Buffer.from(data);
  if (method === 8) return zlib.inflateRawSync(data);
  throw new Error(`zip compression method ${method} is not supported`);
}

/** The catalog's bytes as text, whatever they were packed in. */
export function cweXmlText(bytes: Buffer): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return zlib.gunzipSync(bytes).toString('utf8');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return unzipFirst(bytes).toString('utf8');
  return bytes.toString('utf8');
}

type Node = Record<string, any>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];

export function readCweXml(bytes: Buffer): CweIndex {
  const parser = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false,
    isArray: (name) => ['Weakness', 'Category', 'View', 'Has_Member'].includes(name),
  });
  const catalog = parser.parse(cweXmlText(bytes)).Weakness_Catalog as Node | undefined;
  if (!catalog || typeof catalog.Version !== 'string') throw new Error('no Weakness_Catalog element with a Version: not a CWE catalog');
  const entries: Record<string, CweEntry> = {};
  const owaspOf = new Map<string, string[]>();
  const owaspCategories: Record<string, string> = {};
  const categories = list(catalog.Categories?.Category);
  for (const c of categories) {
    // "OWASP Top Ten 2021 Category A01:2021 - Broken Access Control"
    const m = /Top Ten 2021 Category (A\d{2}:2021) - (.+)$/.exec(String(c.Name));
    const members = list(c.Relationships?.Has_Member).filter((h) => h.View_ID === OWASP_2021_VIEW);
    if (!m || members.length === 0) continue;
    owaspCategories[m[1]] = m[2];
    for (const h of members) owaspOf.set(`CWE-${h.CWE_ID}`, [...(owaspOf.get(`CWE-${h.CWE_ID}`) ?? []), m[1]]);
  }
  const add = (type: CweEntry['type'], nodes: Node[]) => {
    for (const n of nodes) {
      if (!n.ID || !n.Name) continue;
      const id = `CWE-${n.ID}`;
      entries[id] = { name: String(n.Name), type, status: String(n.Status ?? ''), owasp: [...new Set(owaspOf.get(id) ?? [])].sort() };
    }
  };
  add('weakness', list(catalog.Weaknesses?.Weakness));
  add('category', categories);
  add('view', list(catalog.Views?.View));
  if (Object.keys(entries).length === 0) throw new Error('the catalog holds no weakness, category or view');
  return { version: catalog.Version, date: typeof catalog.Date === 'string' ? catalog.Date : null, entries, owaspCategories };
}
