/** Every export format in one table: its name, media type and renderer over a list of items, shared by `vigil export` and the API. */
import type { Item } from '../domain/index.js';
import { IOC_TYPES, type IocType } from '../domain/index.js';
import { blocklist } from './blocklist.js';
import { iocsToCsv } from './csv.js';
import { itemsToFeed } from './feeds.js';
import { itemToMarkdown } from './markdown.js';
import { itemToMisp, type Tlp } from './misp.js';
import { itemToQueries } from './queries.js';
import { itemToSigma } from './sigma.js';
import { itemsToStix } from './stix.js';

export interface ExportOptions {
  readonly tlp?: Tlp;
  /** For blocklists: the IOC type listed. */
  readonly iocType?: IocType;
  /** The time written into exports that carry one; passed in so the same items give the same file. */
  readonly now: string;
  /** Where item links point (feeds). */
  readonly siteUrl: string;
}

export interface ExportFormat {
  readonly name: string;
  readonly mediaType: string;
  readonly extension: string;
  readonly description: string;
  render(items: readonly Item[], options: ExportOptions): string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const feed = (format: 'rss' | 'atom' | 'json', mediaType: string, extension: string): ExportFormat => ({
  name: format === 'json' ? 'json-feed' : format, mediaType, extension, description: `${format === 'json' ? 'JSON Feed 1.1' : format.toUpperCase()} of the items`,
  render: (items, o) => itemsToFeed(items, format, { title: 'Vigil items', siteUrl: o.siteUrl, feedUrl: `${o.siteUrl}/feeds/items.${extension}`, updated: o.now }),
});

export const FORMATS: readonly ExportFormat[] = [
  { name: 'stix', mediaType: 'application/stix+json;version=2.1', extension: 'json', description: 'STIX 2.1 bundle', render: (items, o) => json(itemsToStix(items, { tlp: o.tlp })) },
  {
    name: 'misp', mediaType: 'application/json', extension: 'json', description: 'MISP event JSON (one event per item; a list for several)',
    render: (items, o) => json(items.length === 1 ? itemToMisp(items[0], { tlp: o.tlp }) : items.map((i) => itemToMisp(i, { tlp: o.tlp }))),
  },
  { name: 'csv', mediaType: 'text/csv; charset=utf-8', extension: 'csv', description: 'IOCs as CSV, safe against formula injection', render: (items) => iocsToCsv(items) },
  {
    name: 'blocklist', mediaType: 'text/plain; charset=utf-8', extension: 'txt', description: 'one IOC type, one value per line (needs --type)',
    render: (items, o) => {
      if (!o.iocType) throw new Error(`a blocklist needs an IOC type: one of ${IOC_TYPES.join(', ')}`);
      return blocklist(items, o.iocType, o.now);
    },
  },
  { name: 'markdown', mediaType: 'text/markdown; charset=utf-8', extension: 'md', description: 'the item brief', render: (items) => items.map(itemToMarkdown).join('\n---\n\n') },
  {
    name: 'sigma', mediaType: 'application/yaml', extension: 'yml', description: 'Sigma rules from the IOCs and techniques',
    render: (items, o) => items.flatMap((i) => itemToSigma(i, { date: o.now.slice(0, 10) })).map((r) => r.yaml).join('\n---\n'),
  },
  {
    name: 'queries', mediaType: 'text/plain; charset=utf-8', extension: 'txt', description: 'KQL and SPL starter hunts',
    render: (items) => items.flatMap((i) => itemToQueries(i).map((q) => `// ${q.language.toUpperCase()}: ${q.title} (${i.id})\n${q.query}\n`)).join('\n'),
  },
  feed('rss', 'application/rss+xml; charset=utf-8', 'rss'),
  feed('atom', 'application/atom+xml; charset=utf-8', 'atom'),
  feed('json', 'application/feed+json; charset=utf-8', 'json'),
];

export function exportFormat(name: string): ExportFormat {
  const f = FORMATS.find((x) => x.name === name);
  if (!f) throw new Error(`unknown export format "${name}"; known: ${FORMATS.map((x) => x.name).join(', ')}`);
  return f;
}

export function isIocType(value: string): value is IocType {
  return (IOC_TYPES as readonly string[]).includes(value);
}
