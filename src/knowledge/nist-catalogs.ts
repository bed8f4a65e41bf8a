/** Reads NIST's own publications: the SP 800-53r5 catalog (OSCAL JSON, or NIST's CSV), the CSF 2.0 OSCAL catalog (XML or JSON), and NIST's CSF 1.1 → SP 800-53r5 mapping CSV. */
import { XMLParser } from 'fast-xml-parser';
import { csvRecords } from './csv-rows.js';

export interface ControlIndex {
  readonly version: string;
  /** Current controls and enhancements ("AC-2(1)") to their title; withdrawn ones are listed apart. */
  readonly controls: Record<string, { title: string }>;
  readonly withdrawn: string[];
}

type Node = Record<string, any>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const prop = (n: Node, name: string): string | undefined => list(n.props ?? n.prop).find((p) => p.name === name)?.value;

/** The OSCAL catalog JSON (NIST_SP-800-53_rev5_catalog.json): groups of controls, enhancements nested, withdrawn ones flagged. */
export function readOscal80053(text: string): ControlIndex {
  const catalog = (JSON.parse(text) as Node).catalog as Node | undefined;
  if (!catalog || !Array.isArray(catalog.groups)) throw new Error('no catalog.groups: not an OSCAL catalog');
  const controls: Record<string, { title: string }> = {};
  const withdrawn: string[] = [];
  const walk = (nodes: Node[]) => {
    for (const c of nodes) {
      const label = prop(c, 'label') ?? String(c.id).toUpperCase();
      if (prop(c, 'status') === 'withdrawn') withdrawn.push(label);
      else controls[label] = { title: squash(String(c.title)) };
      walk(list(c.controls));
    }
  };
  for (const g of catalog.groups as Node[]) walk(list(g.controls));
  if (Object.keys(controls).length === 0) throw new Error('the OSCAL catalog holds no control');
  return { version: `rev5 ${catalog.metadata?.version ?? ''}`.trim(), controls, withdrawn };
}

/** NIST's catalog spreadsheet (sp800-53r5-control-catalog.csv): an enhancement's name is "Control | Enhancement". */
export function readCsv80053(text: string): ControlIndex {
  const rows = csvRecords(text, ['Control Identifier', 'Control (or Control Enhancement) Name', 'Control Text']);
  const controls: Record<string, { title: string }> = {};
  const withdrawn: string[] = [];
  for (const r of rows) {
    const id = r['Control Identifier'].trim().replace(/\s+/g, '');
    if (!/^[A-Z]{2}-\d+(\(\d+\))?$/.test(id)) throw new Error(`"${id}" is not an SP 800-53 control identifier`);
    if (r['Control Text'].trim().startsWith('[Withdrawn')) withdrawn.push(id);
    else controls[id] = { title: squash(r['Control (or Control Enhancement) Name'].split(' | ').pop() ?? '') };
  }
  if (Object.keys(controls).length === 0) throw new Error('the CSV holds no control');
  return { version: 'rev5', controls, withdrawn };
}

export interface CsfIndex {
  readonly version: string;
  /** Categories ("GV.OC") and subcategories ("GV.OC-01"): a subcategory's title is its statement. */
  readonly entries: Record<string, { title: string; active: boolean }>;
}

/** Text of a part's paragraphs, however the parser nested them. */
function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(text).join(' ');
  return Object.entries(node as Node).filter(([k]) => !k.startsWith('@')).map(([k, v]) => (k === '#text' ? String(v) : text(v))).join(' ');
}

/**
 * CSF 2.0 from its OSCAL catalog. The catalog still lists CSF 1.1 identifiers with their 1.1 text; the 2.0 ones are
 * exactly those with implementation examples, so a subcategory is active when it has examples and a category when a
 * subcategory of it is.
 */
function csfFromControls(groups: Node[], version: string): CsfIndex {
  const entries: Record<string, { title: string; active: boolean }> = {};
  for (const fn of groups) {
    for (const cat of list(fn.control ?? fn.controls)) {
      const parts = (n: Node) => list(n.part ?? n.parts);
      const statement = (n: Node) => squash(text(parts(n).find((p) => (p['@name'] ?? p.name) === 'statement')?.p ?? parts(n).find((p) => (p['@name'] ?? p.name) === 'statement')?.prose));
      let anyActive = false;
      for (const sub of list(cat.control ?? cat.controls)) {
        const active = parts(sub).some((p) => (p['@name'] ?? p.name) === 'example');
        anyActive ||= active;
        entries[String(sub['@id'] ?? sub.id)] = { title: statement(sub), active };
      }
      entries[String(cat['@id'] ?? cat.id)] = { title: squash(text(cat.title)), active: anyActive };
    }
  }
  if (Object.keys(entries).length === 0) throw new Error('the CSF catalog holds no category');
  return { version, entries };
}

export function readCsfOscalXml(xml: string): CsfIndex {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['group', 'control', 'part', 'p'].includes(n) });
  const catalog = parser.parse(xml).catalog as Node | undefined;
  if (!catalog?.group) throw new Error('no catalog element with groups: not an OSCAL catalog');
  const title = text(catalog.metadata?.title);
  if (!/Cybersecurity Framework/i.test(title)) throw new Error(`the catalog is "${title}", not the NIST Cybersecurity Framework`);
  const version = /2\.0/.test(title) ? '2.0' : title;
  return csfFromControls(list(catalog.group), `${version} (OSCAL ${text(catalog.metadata?.version)})`);
}

export function readCsfOscalJson(json: string): CsfIndex {
  const catalog = (JSON.parse(json) as Node).catalog as Node | undefined;
  if (!catalog?.groups) throw new Error('no catalog.groups: not an OSCAL catalog');
  const title = String(catalog.metadata?.title ?? '');
  if (!/Cybersecurity Framework/i.test(title)) throw new Error(`the catalog is "${title}", not the NIST Cybersecurity Framework`);
  return csfFromControls(list(catalog.groups), `${/2\.0/.test(title) ? '2.0' : title} (OSCAL ${catalog.metadata?.version ?? ''})`);
}

/** NIST's CSF 1.1 → SP 800-53r5 mapping spreadsheet: "ID.AM-1: text" → ["CM-8", "PM-5"]. */
export function readCsfTo80053Csv(text: string): Record<string, { title: string; controls: string[] }> {
  const rows = csvRecords(text, ['Subcategory', 'NIST SP 800-53, Revision 5 Control']);
  const out: Record<string, { title: string; controls: string[] }> = {};
  for (const r of rows) {
    const m = /^([A-Z]{2}\.[A-Z]{2}-\d+):\s*(.*)$/s.exec(r.Subcategory.trim());
    if (!m) continue;
    const controls = r['NIST SP 800-53, Revision 5 Control'].split(/[,;]/).map((c) => c.trim().replace(/\s+/g, '')).filter((c) => /^[A-Z]{2}-\d+(\(\d+\))?$/.test(c));
    out[m[1]] = { title: squash(m[2]), controls };
  }
  if (Object.keys(out).length === 0) throw new Error('no row maps a CSF subcategory ("ID.AM-1: ...")');
  return out;
}
