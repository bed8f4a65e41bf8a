/** Turns a Markdown document into plain text and its first heading, through marked. */
import { marked } from 'marked';
import { htmlToText } from './html-article.js';

/** Deeply nested quotes or lists make marked recurse for seconds or overflow: such input is read as plain text. */
function tooDeep(markdown: string): boolean {
  return /^(?:[ \t]*>){40}|^[ \t]{160}/m.test(markdown);
}

export function readMarkdown(markdown: string): { title: string | null; text: string } {
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown);
  if (tooDeep(markdown)) return { title: heading ? heading[1].trim() : null, text: markdown.trim() };
  // Raw HTML inside Markdown is text to us, never markup to keep: escape it before rendering.
  const html = marked.parse(markdown.replace(/</g, '&lt;'), { async: false, gfm: true }) as string;
  return { title: heading ? heading[1].trim() : null, text: htmlToText(html) };
}
