/** Extracts an article's title, text, site and date from an HTML page with Readability over linkedom. */
import { Readability } from '@mozilla/readability';
import { compile } from 'html-to-text';
import { parseHTML } from 'linkedom';

export interface HtmlArticle {
  title: string | null;
  text: string;
  siteName: string | null;
  published: string | null;
  canonical?: string | null;
}

const TO_TEXT = {
  wordwrap: false as const,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};

// Compiled once: html-to-text's convert() rebuilds its options on every call, 40x slower over a feed's entries.
const toText = compile(TO_TEXT);

/** Plain text of an HTML fragment, paragraphs kept apart; scripts and styles never reach the text. */
export function htmlToText(html: string): string {
  return toText(html).replace(/\n{3,}/g, '\n\n').trim();
}

function meta(document: Document, names: string[]): string | null {
  for (const name of names) {
    const el = document.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
    const content = el?.getAttribute('content')?.trim();
    if (content) return content;
  }
  return null;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'p', 'li']);
/** Deepest element nesting, by one linear scan of the tags (p and li close themselves, so they do not count). */
export function maxTagDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g)) {
    if (VOID.has(m[2].toLowerCase()) || m[3] === '/') continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

// Readability and html-to-text recurse over the tree: past this depth they take seconds or overflow the stack.
export const MAX_HTML_DEPTH = 256;

/** The text of markup too deep to parse: tags dropped, common entities decoded, linear in its length. */
export function stripTags(html: string): string {
  return html
    .replace(/<(script|style|template)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

export function readHtmlArticle(html: string, url: string | null): HtmlArticle {
  if (maxTagDepth(html) > MAX_HTML_DEPTH) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() || null;
    return { title, text: stripTags(html), siteName: null, published: null };
  }
  // linkedom does not resolve relative links by itself: a <base> lets Readability do it.
  const withBase = url ? html.replace(/<head([^>]*)>/i, (m) => `${m}<base href="${url.replace(/"/g, '&quot;')}">`) : html;
  const { document } = parseHTML(withBase);
  const metaDate = meta(document as unknown as Document, ['article:published_time', 'datePublished', 'pubdate', 'date', 'DC.date.issued']);
  const siteMeta = meta(document as unknown as Document, ['og:site_name', 'application-name']);
  const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null;
  const parsed = new Readability(document as unknown as Document, { charThreshold: 200, maxElemsToParse: 100_000 }).parse();
  const text = parsed?.content ? htmlToText(parsed.content) : htmlToText(document.body?.innerHTML ?? html);
  return {
    title: parsed?.title?.trim() || document.querySelector('title')?.textContent?.trim() || null,
    text,
    siteName: parsed?.siteName?.trim() || siteMeta,
    published: parsed?.publishedTime?.trim() || metaDate,
    canonical,
  };
}
