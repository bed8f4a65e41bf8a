/** Extracts an article's title, text, site and date from an HTML page with Readability over linkedom. */
import { Readability } from '@mozilla/readability';
import { convert } from 'html-to-text';
import { parseHTML } from 'linkedom';

export interface HtmlArticle {
  title: string | null;
  text: string;
  siteName: string | null;
  published: string | null;
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

/** Plain text of an HTML fragment, paragraphs kept apart; scripts and styles never reach the text. */
export function htmlToText(html: string): string {
  return convert(html, TO_TEXT).replace(/\n{3,}/g, '\n\n').trim();
}

function meta(document: Document, names: string[]): string | null {
  for (const name of names) {
    const el = document.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
    const content = el?.getAttribute('content')?.trim();
    if (content) return content;
  }
  return null;
}

export function readHtmlArticle(html: string, url: string | null): HtmlArticle {
  // linkedom does not resolve relative links by itself: a <base> lets Readability do it.
  const withBase = url ? html.replace(/<head([^>]*)>/i, (m) => `${m}<base href="${url.replace(/"/g, '&quot;')}">`) : html;
  const { document } = parseHTML(withBase);
  const metaDate = meta(document as unknown as Document, ['article:published_time', 'datePublished', 'pubdate', 'date', 'DC.date.issued']);
  const siteMeta = meta(document as unknown as Document, ['og:site_name', 'application-name']);
  const parsed = new Readability(document as unknown as Document, { charThreshold: 200 }).parse();
  const text = parsed?.content ? htmlToText(parsed.content) : htmlToText(document.body?.innerHTML ?? html);
  return {
    title: parsed?.title?.trim() || document.querySelector('title')?.textContent?.trim() || null,
    text,
    siteName: parsed?.siteName?.trim() || siteMeta,
    published: parsed?.publishedTime?.trim() || metaDate,
  };
}
