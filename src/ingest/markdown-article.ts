/** Turns a Markdown document into plain text and its first heading, through marked. */
import { marked } from 'marked';
import { htmlToText } from './html-article.js';

export function readMarkdown(markdown: string): { title: string | null; text: string } {
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown);
  // Raw HTML inside Markdown is text to us, never markup to keep: escape it before rendering.
  const html = marked.parse(markdown.replace(/</g, '&lt;'), { async: false, gfm: true }) as string;
  return { title: heading ? heading[1].trim() : null, text: htmlToText(html) };
}
