/** The XML layer for feeds and OPML: root sniffing, repair of real-world breakage, validation and a namespace-stable tree. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FeedError } from './errors.js';
import { decodeXml } from './text.js';

/** A parsed element: attributes under "@name", text under "#text", every child element as an array. */
export type XmlNode = { readonly [key: string]: unknown };

export interface XmlRoot {
  /** The root element's name as written, e.g. "rss" or "rdf:RDF". */
  readonly name: string;
  /** The root's start tag, for its namespace declarations. */
  readonly startTag: string;
  /** Where the root starts, just after the prolog. */
  readonly offset: number;
}

/** Skips the prolog (declaration, PIs, comments, DOCTYPE) by index, so an unterminated one costs one scan, not a backtrack. */
export function findRoot(text: string): XmlRoot | null {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('<?', i)) i = endOf(text, '?>', i);
    else if (text.startsWith('<!--', i)) i = endOf(text, '-->', i);
    else if (/^<!doctype/i.test(text.slice(i, i + 9))) i = endOfDoctype(text, i);
    else break;
    if (i < 0) return null;
  }
  const m = /^<([A-Za-z_][\w.:-]*)(?:\s[^>]*)?\/?>/.exec(text.slice(i, i + 65_536));
  return m ? { name: m[1], startTag: m[0], offset: i } : null;
}

function endOf(text: string, close: string, from: number): number {
  const at = text.indexOf(close, from);
  return at < 0 ? -1 : at + close.length;
}

function endOfDoctype(text: string, from: number): number {
  const gt = text.indexOf('>', from);
  const bracket = text.indexOf('[', from);
  if (bracket < 0 || (gt >= 0 && gt < bracket)) return gt < 0 ? -1 : gt + 1;
  const close = /\]\s*>/g;
  close.lastIndex = bracket;
  return close.exec(text) ? close.lastIndex : -1;
}

/** The name of the DOCTYPE, when the prolog has one: "<!DOCTYPE html>" is a web page however the root is spelled. */
export function doctypeName(text: string, root: XmlRoot): string | null {
  return /<!doctype\s+([\w:.-]+)/i.exec(text.slice(0, root.offset))?.[1].toLowerCase() ?? null;
}

/**
 * Repairs what real feeds get wrong and XML forbids, outside CDATA: a bare "&" (AT&T, ?a=1&b=2) becomes "&amp;",
 * a "<" that cannot start markup ("a < b") becomes "&lt;". CDATA sections become escaped text, so every text value
 * the parser returns is raw XML text with one decoding rule, whether or not the feed used CDATA.
 */
export function repairXml(text: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('<![CDATA[', i);
    const plainEnd = start < 0 ? text.length : start;
    out.push(text.slice(i, plainEnd)
      .replace(/&(?!(?:[A-Za-z_][\w.-]*|#\d+|#[xX][0-9A-Fa-f]+);)/g, '&amp;')
      .replace(/<(?![A-Za-z_:/!?\u00C0-\uFFFF])/g, '&lt;'));
    if (start < 0) break;
    const close = text.indexOf(']]>', start + 9);
    const end = close < 0 ? text.length : close;
    out.push(text.slice(start + 9, end).replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    i = close < 0 ? text.length : close + 3;
  }
  return out.join('');
}

const CANONICAL_NS: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': 'rss1',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://www.w3.org/1999/xhtml': 'xhtml',
};

/**
 * Prefixes are the author's choice (.NET writes Atom as "a10:"), so names are rewritten to fixed prefixes from the
 * root's declarations; the document's own vocabulary (`main`) loses its prefix altogether.
 */
export function prefixMap(startTag: string, main: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of startTag.matchAll(/\sxmlns(?::([\w.-]+))?\s*=\s*(["'])(.*?)\2/g)) {
    const canonical = CANONICAL_NS[m[3].trim().toLowerCase()];
    if (canonical && m[1]) map.set(m[1], canonical === main ? '' : canonical);
  }
  return map;
}

/** A tag or attribute name with its prefix replaced by the fixed one; undeclared prefixes are left as written. */
export function canonicalName(name: string, prefixes: Map<string, string>): string {
  const colon = name.indexOf(':');
  const mapped = colon < 0 ? undefined : prefixes.get(name.slice(0, colon));
  return mapped === undefined ? name : mapped === '' ? name.slice(colon + 1) : `${mapped}:${name.slice(colon + 1)}`;
}

// The parser refuses a whole document over one element named like these; renamed, they are only unread elements.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function renamer(prefixes: Map<string, string>, lower: boolean): (name: string) => string {
  return (name) => {
    const renamed = lower ? canonicalName(name, prefixes).toLowerCase() : canonicalName(name, prefixes);
    return RESERVED.has(renamed) ? `x-${renamed}` : renamed;
  };
}

export interface ReadXmlOptions {
  readonly prefixes: Map<string, string>;
  /** Elements whose content is kept as raw markup (titles, summaries, bodies), so inline HTML keeps its order. */
  readonly stopNodes?: readonly string[];
  /** OPML writers disagree on "xmlUrl" vs "xmlurl": attribute names are compared lower-cased there. */
  readonly lowerCaseAttributes?: boolean;
  /** Items (or entries) past this many are cut from the text before validation and parsing. */
  readonly keepItems?: number;
}

export interface XmlDocument {
  readonly tree: XmlNode;
  /** Items cut by keepItems, unread. */
  readonly dropped: number;
}

const ITEM_END = /<\/(?:[\w.-]+:)?(?:item|entry)\s*>/g;

/**
 * Items are siblings that never nest, so the run from the end of the last kept one to the end of the last one is
 * whole elements: cutting it leaves well-formed XML, and a huge feed costs only the items that are read.
 */
function keepFirstItems(text: string, keep: number): { text: string; dropped: number } {
  let kept = -1;
  let last = -1;
  let count = 0;
  for (const m of text.matchAll(ITEM_END)) {
    count++;
    if (count === keep) kept = m.index + m[0].length;
    last = m.index + m[0].length;
  }
  if (count <= keep) return { text, dropped: 0 };
  // The cut keeps its newlines, so the validator's line numbers still point into the document as fetched.
  return { text: text.slice(0, kept) + text.slice(kept, last).replace(/[^\n]+/g, '') + text.slice(last), dropped: count - keep };
}

/** Parses repaired XML into a tree, or throws 'malformed' with the line (and column, when repair left the line alone). */
export function readXml(original: string, options: ReadXmlOptions): XmlDocument {
  // A declaration after blank lines is fatal to XML; blanked in place, it costs no line or column. Its encoding was read.
  const declared = original.replace(/^(\s+)(<\?xml\s[^>]*\?>)/, (_m, space: string, decl: string) => space + ' '.repeat(decl.length));
  const repaired = repairXml(declared);
  const { text, dropped } = options.keepItems === undefined ? { text: repaired, dropped: 0 } : keepFirstItems(repaired, options.keepItems);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) throw new FeedError('malformed', `malformed XML: ${problem(declared, text, valid.err)}`);
  const parser = new XMLParser({
    // Entities are decoded by decodeXml, never by the parser: DOCTYPE-declared entities are not expanded at all.
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    allowBooleanAttributes: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    alwaysCreateTextNode: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Callbacks get the parser's matcher, not a path string built for every tag.
    jPath: false,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
    stopNodes: [...(options.stopNodes ?? [])],
    transformTagName: renamer(options.prefixes, false),
    transformAttributeName: renamer(options.prefixes, options.lowerCaseAttributes ?? false),
  });
  try {
    return { tree: parser.parse(text) as XmlNode, dropped };
  } catch (cause) {
    const message = /Maximum nested tags/.test((cause as Error).message) ? 'elements nested deeper than 100 levels' : (cause as Error).message;
    throw new FeedError('malformed', `malformed XML: ${message}`, { cause });
  }
}

/** The validator's complaint with its place; an unclosed element is found at the end, where a place says nothing. */
function problem(original: string, repaired: string, err: { msg: string; line: number; col: number }): string {
  const unclosed = /^Invalid '\[(.*)\]' found\.?$/s.exec(err.msg);
  if (unclosed) {
    const names = [...unclosed[1].matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    return `the document ends before ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} closed (truncated?)`;
  }
  // Repair moves columns on the lines it touched; there, only the line is reported.
  const sameLine = lineAt(original, err.line) === lineAt(repaired, err.line);
  return `${sameLine ? `line ${err.line}, column ${err.col}` : `line ${err.line}`}: ${err.msg}`;
}

function lineAt(text: string, line: number): string | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    start = text.indexOf('\n', start) + 1;
    if (start === 0) return undefined;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

export function kids(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  return Array.isArray(value) ? value.filter((v): v is XmlNode => typeof v === 'object' && v !== null) : [];
}

export function kid(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return kids(node, name)[0];
}

/** The raw (still escaped) text of an element. */
export function raw(node: XmlNode | undefined): string {
  const text = node?.['#text'];
  return typeof text === 'string' ? text : typeof text === 'number' ? String(text) : '';
}

/** The decoded text of the first child of that name, trimmed; null when absent or blank. */
export function childText(node: XmlNode | undefined, name: string): string | null {
  for (const child of kids(node, name)) {
    const text = decodeXml(raw(child)).trim();
    if (text !== '') return text;
  }
  return null;
}

export function attr(node: XmlNode | undefined, name: string): string | null {
  const value = node?.[`@${name}`];
  return typeof value === 'string' ? decodeXml(value).trim() : null;
}
