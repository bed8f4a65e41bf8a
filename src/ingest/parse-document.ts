/** Reads one local document (plain text, Markdown or HTML) into a Document: format detection, headers, identity. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Document, DocumentFormat } from '../domain/index.js';
import { toIsoDate } from './dates.js';
import { DEFAULT_MAX_BYTES, decodeText } from './decode.js';
import { IngestError } from './errors.js';
import { readHtmlArticle } from './html-article.js';
import { readMarkdown } from './markdown-article.js';
import { splitTextHeaders } from './text-headers.js';

export interface RawInput {
  bytes: Uint8Array;
  /** A file path, "stdin", or a URL. */
  origin: string;
  example?: boolean;
  maxBytes?: number;
}

const EXTENSIONS: Record<string, DocumentFormat> = {
  '.txt': 'text', '.text': 'text', '.md': 'markdown', '.markdown': 'markdown', '.html': 'html', '.htm': 'html', '.xhtml': 'html',
};

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A document is known by its canonical URL when it has one, so the same article from a file, a feed or a page is one document. */
export function documentId(url: string | null, contentHash: string): string {
  return `doc_${sha256(url ?? contentHash).slice(0, 20)}`;
}

export function contentHashOf(title: string, text: string): string {
  return sha256(`${title}\n${text}`);
}

export function detectFormat(origin: string, text: string): DocumentFormat {
  const ext = path.extname(origin).toLowerCase();
  if (ext in EXTENSIONS) return EXTENSIONS[ext];
  if (ext !== '' && origin !== 'stdin') {
    throw new IngestError('unknown-format', origin, `unknown format "${ext}" (Vigil reads .txt, .md and .html documents)`);
  }
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || /<(body|article|p|div)[\s>]/.test(head)) return 'html';
  if (/^#{1,3}\s+\S/m.test(text.slice(0, 4096))) return 'markdown';
  return 'text';
}

/** Only web links are links: a javascript:, data: or file: "URL" in a header is dropped, never rendered. */
export function webUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? canonicalUrl(u.toString()) : null;
  } catch {
    return null;
  }
}

/** Tracking parameters never change what a link points to, so they never change its identity. */
export function canonicalUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    for (const key of [...u.searchParams.keys()]) {
      if (/^(utm_|mc_|pk_|mtm_|fbclid$|gclid$|msclkid$|ref$|source$)/i.test(key)) u.searchParams.delete(key);
    }
    u.hostname = u.hostname.toLowerCase();
    return u.toString();
  } catch {
    return url.trim();
  }
}

export function siteOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}

export function parseDocument(input: RawInput): Document {
  const raw = decodeText(input.bytes, input.origin, input.maxBytes ?? DEFAULT_MAX_BYTES);
  const format = detectFormat(input.origin, raw);
  const { headers, body } = splitTextHeaders(raw);
  let url = webUrl(headers.url);
  let title = headers.title ?? null;
  let text: string;
  let outlet = headers.source ?? null;
  let published = toIsoDate(headers.published);
  if (format === 'html') {
    const article = readHtmlArticle(body, url);
    text = article.text;
    url ??= webUrl(article.canonical ?? undefined);
    title ??= article.title;
    outlet ??= article.siteName;
    published ??= toIsoDate(article.published);
  } else if (format === 'markdown') {
    const md = readMarkdown(body);
    text = md.text;
    title ??= md.title;
    // A date without a zone is a calendar day: read it at UTC midnight, as bare dates are.
    published ??= toIsoDate(md.published && !/^\d{4}-/.test(md.published) ? `${md.published} UTC` : md.published);
    url ??= webUrl(md.url ?? undefined);
  } else {
    // Per line: a regex over the whole text for trailing blanks is quadratic on a long run of spaces.
    text = body.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
  }
  if (text.trim().length === 0) throw new IngestError('empty', input.origin, 'has no readable text');
  title = (title ?? firstLine(text)).replace(/\s+/g, ' ').trim();
  const contentHash = contentHashOf(title, text);
  return {
    id: documentId(url, contentHash),
    contentHash,
    title,
    outlet: outlet ?? siteOf(url) ?? (input.origin === 'stdin' ? 'pasted text' : 'local file'),
    url,
    published,
    format,
    text,
    origin: input.origin,
    example: input.example ?? false,
  };
}
