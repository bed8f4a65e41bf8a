/** RSS 2.0, Atom 1.0 and JSON Feed 1.1 of items, each entry linking to its page, with severity, priority and triage in its description. */
import { Feed } from 'feed';
import type { Item } from '../domain/index.js';
import type { ItemSummary } from '../store/store.js';

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface ItemFeedOptions {
  readonly title: string;
  readonly siteUrl: string;
  readonly feedUrl: string;
  /** ISO 8601: the feed's own updated time, passed in so the same items always give the same feed. */
  readonly updated: string;
}

const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/** What an entry shows, from a stored summary or a full item (which adds the executive summary). */
interface Entry extends ItemSummary {
  readonly summary: string | null;
}

const isItem = (x: ItemSummary | Item): x is Item => 'schema' in x;

function entryOf(x: ItemSummary | Item): Entry {
  if (!isItem(x)) return { ...x, summary: null };
  return {
    id: x.id, title: x.title, severity: x.severity.level, priority: x.priority.value, triage: x.triage.level,
    archetype: x.archetype.id, archetypeLabel: x.archetype.label,
    // The store's rule for a summary's organisation (src/store/kysely-store.ts), so both inputs read alike.
    organisation: x.facts.organisations.find((o) => o.role === 'victim')?.name ?? x.facts.organisations.find((o) => o.role === 'vendor')?.name ?? null,
    firstReported: x.firstReported, lastUpdated: x.lastUpdated, example: x.example, summary: x.summary.join(' ') || null,
  };
}

export function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function description(e: Entry): string {
  const when = [e.firstReported && `first reported ${e.firstReported.slice(0, 10)}`, e.lastUpdated && `last updated ${e.lastUpdated.slice(0, 10)}`]
    .filter(Boolean).join(', ');
  return [
    `<p><strong>Severity:</strong> ${html(e.severity)} · <strong>Priority:</strong> ${e.priority.toFixed(3)} · <strong>Triage:</strong> ${html(e.triage)}</p>`,
    `<p>${html(e.archetypeLabel)}${e.organisation ? `: ${html(e.organisation)}` : ''}${when ? ` (${html(when)})` : ''}.</p>`,
    e.summary ? `<p>${html(e.summary)}</p>` : '',
    e.example ? '<p>Example item: the event is fictional.</p>' : '',
  ].join('');
}

function date(value: string | null, fallback: Date): Date {
  const t = value ? Date.parse(value) : NaN;
  return Number.isFinite(t) ? new Date(t) : fallback;
}

/** A token safe in every format's category: xml-js writes a `<` inside an attribute unescaped, so free text never goes there. */
const token = (s: string) => (/^[A-Za-z0-9_.-]+$/.test(s) ? s : null);

/**
 * The feed package's XML writer needs two guards. It closes only the first `]]>` in a CDATA section, so an entry's
 * title and description go in as HTML-escaped text (which is what Atom's type="html" and RSS readers expect anyway)
 * and hold no `>` of their own. It also turns `&amp;` back into `&` in text nodes before escaping, so plain-text
 * fields get their `&` escaped once more to survive that.
 */
export function itemsToFeed(items: readonly ItemSummary[] | readonly Item[], format: FeedFormat, options: ItemFeedOptions): string {
  const updated = new Date(options.updated);
  if (Number.isNaN(updated.getTime())) throw new Error(`itemsToFeed: updated is not a date: ${JSON.stringify(options.updated)}`);
  const site = new URL(options.siteUrl).toString().replace(/\/+$/, '');
  const feedUrl = new URL(options.feedUrl).toString();
  const xml = format !== 'json';
  const text = (s: string) => (xml ? s.replace(/&/g, '&amp;') : s);
  const feed = new Feed({
    id: feedUrl,
    title: text(options.title),
    description: 'Security intelligence items from Vigil',
    link: `${site}/`,
    feed: feedUrl,
    feedLinks: { [format]: feedUrl },
    updated,
    generator: 'Vigil',
    language: 'en',
  });
  for (const e of (items as readonly (ItemSummary | Item)[]).map(entryOf)) {
    const link = `${site}/items/${encodeURIComponent(e.id)}`;
    const categories = [token(e.severity), token(e.archetype)].filter((c): c is string => !!c).map((c) => ({ name: c, term: c }));
    feed.addItem({
      id: link,
      link,
      title: xml ? html(e.title) : e.title,
      description: description(e),
      date: date(e.lastUpdated ?? e.firstReported, updated),
      ...(e.firstReported ? { published: date(e.firstReported, updated) } : {}),
      category: categories,
      // JSON Feed carries the figures as data too; RSS would write an extension as an unknown element.
      ...(xml ? {} : {
        extensions: [{
          name: '_vigil',
          objects: { severity: e.severity, priority: e.priority, triage: e.triage, archetype: e.archetype, example: e.example },
        }],
      }),
    });
  }
  if (format === 'rss') return feed.rss2();
  if (format === 'atom') return feed.atom1();
  // The package writes JSON Feed 1.0; 1.1 only adds fields, so the version and the feed's language are all that change.
  const { version: _v1, ...json } = JSON.parse(feed.json1()) as Record<string, unknown>;
  return `${JSON.stringify({ version: JSON_FEED_VERSION, ...json, language: 'en' }, null, 2)}\n`;
}
