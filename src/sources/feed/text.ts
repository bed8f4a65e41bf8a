/** Feed text: bytes to a string in the declared encoding, XML entities decoded, HTML turned into plain text. */
import { compile } from 'html-to-text';
import { MAX_HTML_DEPTH, maxTagDepth, stripTags } from '../../ingest/html-article.js';
import { FeedError } from './errors.js';

export interface DecodedBody {
  readonly text: string;
  readonly warnings: string[];
}

/** The encoding an XML declaration names, read from the first bytes as Latin-1 (the declaration itself is ASCII). */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1].toLowerCase() ?? null;
}

// Node 20's TextDecoder reads windows-1252 (and its iso-8859-1 label) as Latin-1, leaving 0x80-0x9F as C1 controls:
// those bytes are the smart quotes, dashes and euro sign of every Windows-authored feed, mapped here by hand.
const CP1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F'
  + '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function bytesToText(bytes: Uint8Array, warnings: string[]): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeAs('utf-8', bytes.subarray(3), warnings);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeAs('utf-16le', bytes.subarray(2), warnings);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeAs('utf-16be', bytes.subarray(2), warnings);
  const declared = declaredEncoding(bytes);
  // A declaration readable as ASCII is not UTF-16, whatever it claims: servers re-encode and leave the label.
  if (!declared || declared.startsWith('utf-16') || declared === 'utf-8' || declared === 'utf8') return decodeAs('utf-8', bytes, warnings);
  try {
    const decoder = new TextDecoder(declared);
    const text = decoder.decode(bytes);
    return decoder.encoding === 'windows-1252' ? text.replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]) : text;
  } catch {
    warnings.push(`unknown encoding "${declared}", read as UTF-8`);
    return decodeAs('utf-8', bytes, warnings);
  }
}

function decodeAs(encoding: string, bytes: Uint8Array, warnings: string[]): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    warnings.push(`invalid ${encoding.toUpperCase()} bytes replaced with U+FFFD`);
    return new TextDecoder(encoding).decode(bytes);
  }
}

/** Control characters XML 1.0 forbids; a feed with a stray one is still a feed, a file full of them is not. */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** The body as text: BOM dropped, declared encoding honoured, forbidden control characters removed; empty and binary refused. */
export function decodeBody(body: string | Uint8Array): DecodedBody {
  const warnings: string[] = [];
  const raw = typeof body === 'string' ? body.replace(/^\uFEFF/, '') : bytesToText(body, warnings);
  if (raw.trim() === '') throw new FeedError('empty', 'the document is empty');
  const head = raw.slice(0, 65_536);
  const control = head.match(FORBIDDEN_CONTROL)?.length ?? 0;
  if (head.includes('\u0000') || control / head.length > 0.01) {
    throw new FeedError('malformed', 'binary data (NUL or control bytes), not a feed');
  }
  return { text: control > 0 || raw.length > head.length ? raw.replace(FORBIDDEN_CONTROL, '') : raw, warnings };
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function codePoint(n: number): string {
  return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '\uFFFD';
}

const toText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

// HTML entities undeclared in XML (&nbsp;, &rsquo;) are common in feeds. html-to-text knows all of HTML's,
// so each name is looked up once through it rather than carrying a table here; the cap bounds hostile input.
const htmlEntities = new Map<string, string | null>();
function htmlEntity(name: string): string | null {
  const known = htmlEntities.get(name);
  if (known !== undefined) return known;
  const out = name === 'nbsp' ? '\u00A0' : toText(`x&${name};x`);
  const value = out.length > 2 && out.startsWith('x') && out.endsWith('x') && out !== `x&${name};x` ? out.slice(1, -1) : null;
  if (htmlEntities.size < 4096) htmlEntities.set(name, value);
  return value;
}

/** Character data of raw XML text: XML, numeric and HTML named entities decoded; an unknown name stays as written. */
export function decodeXml(raw: string): string {
  if (!raw.includes('&')) return raw;
  // Escaped HTML is mostly &lt; and &gt;: plain replaces beat a callback per entity there.
  if (!/&(?!lt;|gt;|amp;|quot;|apos;)/.test(raw)) {
    return raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  }
  return raw.replace(/&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));/g, (whole, dec, hex, name) => {
    if (dec) return codePoint(Number(dec));
    if (hex) return codePoint(parseInt(hex, 16));
    return XML_ENTITIES[name] ?? htmlEntity(name) ?? whole;
  });
}

/** Raw element content that still holds child elements is markup already; otherwise it is escaped text to decode. */
export function rawToHtml(raw: string): string {
  return /<[A-Za-z!/]/.test(raw) ? raw : decodeXml(raw);
}

/** Whitespace collapsed to single spaces; zero-width spaces, which real titles carry invisibly, dropped. */
export function collapse(text: string): string {
  return text.replace(/[\u200B\u2060\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
}

const ENTITY = /&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);/;
const MARKUP = /<[A-Za-z/!]|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);/;

/** Plain text of an HTML fragment with paragraphs kept apart; markup too deep for html-to-text is stripped linearly. */
export function blockText(html: string): string {
  if (!MARKUP.test(html)) return collapse(html);
  const text = maxTagDepth(html) > MAX_HTML_DEPTH ? stripTags(html) : toText(html);
  return text.split('\n').map((l) => l.replace(/[ \t\u00A0]+/g, ' ').trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** One line of plain text from an HTML fragment. */
export function inlineText(html: string): string {
  return collapse(blockText(html));
}

const INLINE_TAGS = 'a|abbr|b|big|br|cite|code|del|em|font|i|img|ins|kbd|mark|p|q|s|small|span|strike|strong|sub|sup|time|tt|u|var|wbr';
const KNOWN_TAG = new RegExp(`</?(?:${INLINE_TAGS})\\b[^<>]*>`, 'i');
const NOT_A_KNOWN_TAG = new RegExp(`<(?!/?(?:${INLINE_TAGS})\\b[^<>]*>)`, 'gi');

function looksLikeHtml(chars: string): boolean {
  return KNOWN_TAG.test(chars) || ENTITY.test(chars);
}

/**
 * One line of plain text from text that may or may not be HTML, as RSS titles are. Known inline tags are markup;
 * any other "<" is kept as text, since a security headline may name "<svg onload>" and must not lose it.
 */
export function looseText(chars: string): string {
  const text = chars.includes('<!--') ? chars.replace(/<!--[\s\S]*?-->/g, '') : chars;
  return looksLikeHtml(text) ? inlineText(text.replace(NOT_A_KNOWN_TAG, '&lt;')) : collapse(text);
}

/** A plain-text summary or body: markup converted when it is there, else only its spacing tidied. */
export function looseBlock(chars: string): string {
  return looksLikeHtml(chars)
    ? blockText(chars.replace(NOT_A_KNOWN_TAG, '&lt;'))
    : chars.split('\n').map((l) => l.replace(/[ \t]+/g, ' ').trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text as HTML: one escaped <p> per paragraph. */
export function textToHtml(text: string): string | null {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== '');
  return paragraphs.length === 0 ? null : paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
}

export function nonEmpty(text: string | null | undefined): string | null {
  const t = text?.trim();
  return t ? t : null;
}
