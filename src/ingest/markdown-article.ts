/** Turns a Markdown document into plain text and its first heading, through marked. */
import { marked } from 'marked';
import { htmlToText } from './html-article.js';

/** Deeply nested quotes or lists make marked recurse for seconds or overflow: such input is read as plain text. */
function tooDeep(markdown: string): boolean {
  return /^(?:[ \t]*>){40}|^[ \t]{160}/m.test(markdown);
}

export interface MarkdownArticle {
  title: string | null;
  text: string;
  /** From a byline such as "Published August 12, 2026" or "Published: 2026-08-12" near the top. */
  published: string | null;
  /** From a "Source URL:" or "URL:" line near the top. */
  url: string | null;
}

function byline(markdown: string): { published: string | null; url: string | null } {
  const head = markdown.split('\n').slice(0, 15).join('\n');
  const published = /\b(?:published|posted|updated)\b:?\s*(?:on\s+)?([A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2})/i.exec(head)?.[1] ?? null;
  const url = /^\s*(?:source url|url|canonical)\s*:\s*(\S+)/im.exec(head)?.[1] ?? null;
  return { published, url };
}

export function readMarkdown(markdown: string): MarkdownArticle {
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown);
  const meta = byline(markdown);
  if (tooDeep(markdown)) return { title: heading ? heading[1].trim() : null, text: markdown.trim(), ...meta };
  // Raw HTML inside Markdown is text to us, never markup to keep: escape it before rendering.
  const html = marked.parse(markdown.replace(/</g, '&lt;'), { async: false, gfm: true }) as string;
  return { title: heading ? heading[1].trim() : null, text: htmlToText(html), ...meta };
}
