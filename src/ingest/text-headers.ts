/** Reads the optional `Title:`, `Source:`, `Published:`, `URL:` header lines that may open a plain-text document. */
export interface TextHeaders {
  title?: string;
  source?: string;
  published?: string;
  url?: string;
}

const HEADER = /^(title|source|published|url)\s*:\s*(.*)$/i;

/** Headers count only when the very first lines are headers and a blank line closes them. */
export function splitTextHeaders(text: string): { headers: TextHeaders; body: string } {
  const lines = text.split('\n');
  const headers: TextHeaders = {};
  let i = 0;
  while (i < lines.length && i < 20) {
    const m = HEADER.exec(lines[i].trim());
    if (!m) break;
    const key = m[1].toLowerCase() as keyof TextHeaders;
    headers[key] = m[2].trim();
    i++;
  }
  if (i === 0 || (i < lines.length && lines[i].trim() !== '')) return { headers: {}, body: text };
  return { headers, body: lines.slice(i + 1).join('\n') };
}
