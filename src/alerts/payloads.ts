/** Alert messages rendered for each channel: generic JSON, Slack ({text, blocks}), Teams (Adaptive Card) and plain-text mail; pure, every untrusted string escaped for its target. */
import type { Item } from '../domain/index.js';
import type { AlertSchedule } from '../domain/watchlist.js';

/** One matched item as a delivery stores it: enough to render any channel, nothing secret. */
export interface AlertEntry {
  readonly itemId: string;
  readonly title: string;
  readonly severity: string;
  readonly priority: number;
  readonly triage: string;
  readonly reasons: readonly string[];
  readonly summary: string | null;
}

/** One message: a single alert, or a digest of a period's entries. */
export interface AlertMessage {
  readonly watchlist: string;
  readonly schedule: AlertSchedule;
  readonly entries: readonly AlertEntry[];
  /** A message sent by `vigil watch test`, not by a match. */
  readonly test?: boolean;
}

export const ALERT_SCHEMA_VERSION = 'vigil.alert/1';

// Slack caps a section at 3,000 characters and a message at 50 blocks; a digest shows this many and counts the rest.
const MAX_LISTED = 20;
const MAX_TITLE = 300;

export function alertEntry(item: Item, reasons: readonly string[]): AlertEntry {
  return {
    itemId: item.id, title: item.title, severity: item.severity.level, priority: item.priority.value, triage: item.triage.level,
    reasons: [...reasons], summary: item.summary[0] ?? null,
  };
}

export const itemLink = (siteUrl: string, itemId: string) => `${siteUrl.replace(/\/+$/, '')}/items/${encodeURIComponent(itemId)}`;

/** Control characters (CR and LF among them) become spaces: no target gets a line break or an escape sequence from a title. */
const oneLine = (s: string, max = MAX_TITLE) => {
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function heading(m: AlertMessage): string {
  if (m.test) return `Vigil test alert for watchlist ${m.watchlist}`;
  if (m.schedule === 'immediate') return `Vigil alert (watchlist ${m.watchlist})`;
  return `Vigil ${m.schedule} digest (watchlist ${m.watchlist}): ${plural(m.entries.length, 'item')}`;
}

/** The generic webhook body; JSON.stringify escapes for JSON, and the receiver decides how to display it. */
export function webhookBody(m: AlertMessage, siteUrl: string, sentAt: string): string {
  return JSON.stringify({
    type: ALERT_SCHEMA_VERSION, watchlist: m.watchlist, schedule: m.schedule, test: m.test ?? false, sentAt,
    items: m.entries.map((e) => ({
      id: e.itemId, title: e.title, severity: e.severity, priority: e.priority, triage: e.triage, link: itemLink(siteUrl, e.itemId),
      reasons: e.reasons, summary: e.summary,
    })),
  });
}

/** Slack mrkdwn: &, < and > are its only control characters (`<!channel>`, `<url|text>`), and escaping them is what Slack asks. */
export const slackEscape = (s: string) => oneLine(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const facts = (e: AlertEntry) => `Severity: ${e.severity} · Priority: ${e.priority.toFixed(3)} · Triage: ${e.triage}`;

export function slackPayload(m: AlertMessage, siteUrl: string): { text: string; blocks: unknown[] } {
  const listed = m.entries.slice(0, MAX_LISTED);
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(heading(m))}*` } }];
  for (const e of listed) {
    // The link text is escaped too, so a title cannot close the link and open a mention of its own.
    const title = `*<${slackEscape(itemLink(siteUrl, e.itemId))}|${slackEscape(e.title).replace(/\|/g, '¦')}>*`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${title}\n${slackEscape(facts(e))}` } });
    if (e.reasons.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Matched: ${slackEscape(e.reasons.join('; '))}` }] });
  }
  if (m.entries.length > listed.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${m.entries.length - listed.length} more` }] });
  const first = m.entries[0];
  const text = m.schedule === 'immediate' && first ? `[${first.severity}] ${first.title} (watchlist ${m.watchlist})` : heading(m);
  return { text: slackEscape(text), blocks };
}

/**
 * Teams renders a Markdown subset in TextBlocks and FactSets: every ASCII punctuation mark is backslash-escaped (CommonMark
 * allows that of any of them), so a title is shown as written and can make neither a link, nor emphasis, nor HTML.
 */
export const teamsEscape = (s: string) => oneLine(s).replace(/[\\`*_{}[\]()#+\-.!|~<>&"'=:]/g, '\\$&');

export function teamsPayload(m: AlertMessage, siteUrl: string): unknown {
  const listed = m.entries.slice(0, MAX_LISTED);
  const body: unknown[] = [{ type: 'TextBlock', text: teamsEscape(heading(m)), weight: 'Bolder', size: 'Medium', wrap: true }];
  for (const e of listed) {
    body.push(
      { type: 'TextBlock', text: teamsEscape(e.title), weight: 'Bolder', wrap: true, separator: true },
      { type: 'FactSet', facts: [
        { title: 'Severity', value: teamsEscape(e.severity) }, { title: 'Priority', value: teamsEscape(e.priority.toFixed(3)) },
        { title: 'Triage', value: teamsEscape(e.triage) }, { title: 'Matched', value: teamsEscape(e.reasons.join('; ')) },
      ] },
    );
  }
  if (m.entries.length > listed.length) body.push({ type: 'TextBlock', text: `and ${m.entries.length - listed.length} more`, isSubtle: true, wrap: true });
  // An action URL is never rendered as text; it is ours (site URL and item id) and opens the item page.
  const actions = listed.length === 1
    ? [{ type: 'Action.OpenUrl', title: 'Open in Vigil', url: itemLink(siteUrl, listed[0].itemId) }]
    : [{ type: 'Action.OpenUrl', title: 'Open Vigil', url: siteUrl }];
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null,
      content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body, actions },
    }],
  };
}

/** A mail's subject and plain-text body; the SMTP client keeps the subject to one line and encodes both. */
export function mailContent(m: AlertMessage, siteUrl: string): { subject: string; text: string } {
  const first = m.entries[0];
  const subject = m.schedule === 'immediate' && first && !m.test ? `[Vigil] ${first.severity}: ${oneLine(first.title, 200)}` : `[Vigil] ${heading(m)}`;
  const blocks = m.entries.map((e) => [
    oneLine(e.title, 1000), facts(e), `Matched: ${e.reasons.join('; ')}`, ...(e.summary ? ['', e.summary] : []), itemLink(siteUrl, e.itemId),
  ].join('\n'));
  const text = [heading(m), '', blocks.join('\n\n'), '', `You receive this because of the Vigil watchlist "${m.watchlist}".`].join('\n');
  return { subject, text };
}
