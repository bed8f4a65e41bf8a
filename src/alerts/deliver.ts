/**
 * Sends queued alerts and keeps the delivery log: one channel send per message, retried with exponential backoff and jitter,
 * dead-lettered after the last attempt.
 *
 * Generic webhooks are signed. The receiver checks `X-Vigil-Signature: sha256=<hex>`, the HMAC-SHA256 under the channel's
 * secret of the string `<X-Vigil-Timestamp>.<raw body>` (the timestamp is Unix seconds). Because the timestamp is inside the
 * signed string, a receiver that also refuses timestamps older than a few minutes cannot be fed a captured request again.
 * `X-Vigil-Delivery` names the delivery, the same on every retry, so a receiver can drop a repeat.
 */
import crypto from 'node:crypto';
import type dns from 'node:dns';
import type { Channel, Watchlist } from '../domain/watchlist.js';
import { FetchError } from '../fetch/index.js';
import type { AlertDelivery, DeliveryUpdate, Store } from '../store/store.js';
import { type AlertEntry, type AlertMessage, mailContent, slackPayload, teamsPayload, webhookBody } from './payloads.js';
import { type GuardPolicy, postWebhook } from './post.js';
import { sendMail, type SmtpConfig, SmtpError } from './smtp.js';

export interface RetryPolicy {
  /** Attempts in all; after the last failed one the delivery is dead. */
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 60_000, maxMs: 6 * 3_600_000 };

export interface AlertDeps {
  /** Where the news center is served: links point at `${siteUrl}/items/${id}`. */
  readonly siteUrl: string;
  /** The fetcher's SSRF policy; webhooks go through the same guard as every fetch. */
  readonly guard: GuardPolicy;
  readonly userAgent: string;
  readonly smtp: SmtpConfig | null;
  readonly now: () => Date;
  readonly random?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  readonly lookup?: typeof dns.lookup;
  readonly timeoutMs?: number;
}

export interface DeliveryReport {
  readonly id: number;
  readonly watchlist: string;
  readonly channel: string;
  readonly status: AlertDelivery['status'];
  readonly attempts: number;
  readonly error: string | null;
}

// A worker holds the deliveries it took for this long; one that dies mid-send frees them after it.
const LEASE_MS = 5 * 60_000;

/** The signature a receiver recomputes: HMAC-SHA256 over "<timestamp>.<raw body>". */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Exponential backoff with equal jitter: at least half the step, so a retry is never immediate, and never in step with the others. */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(step / 2 + random() * (step / 2));
}

/** A stable name for a channel in the log and the unique key: kind and host, plus a hash for the secret URL (never the URL itself). */
export function channelKey(c: Channel): string {
  if (c.kind === 'email') return `email:${(c.to ?? []).join(',')}`;
  const url = c.url ?? '';
  let host = '?';
  try {
    host = new URL(url).host;
  } catch {
    // validateWatchlist refuses such a URL; the key stays usable anyway.
  }
  return `${c.kind}:${host}#${crypto.createHash('sha256').update(url).digest('hex').slice(0, 8)}`;
}

class Permanent extends Error {}

/** Sends one message on one channel; throws an Error whose `retryable` says whether another attempt can help. */
export async function sendMessage(channel: Channel, message: AlertMessage, deps: AlertDeps, deliveryKey: string): Promise<string> {
  const now = deps.now();
  const options = { guard: deps.guard, userAgent: deps.userAgent, lookup: deps.lookup, timeoutMs: deps.timeoutMs };
  if (channel.kind === 'email') {
    if (!deps.smtp) throw new Permanent('email: VIGIL_SMTP_URL is not set (smtp://user:pass@host:port)');
    const { subject, text } = mailContent(message, deps.siteUrl);
    return sendMail(deps.smtp, { to: channel.to ?? [], subject, text, date: now, messageId: `${deliveryKey}.${now.getTime()}` });
  }
  const url = channel.url ?? '';
  if (channel.kind === 'slack') return (await postWebhook(url, JSON.stringify(slackPayload(message, deps.siteUrl)), {}, options)).body;
  if (channel.kind === 'teams') return (await postWebhook(url, JSON.stringify(teamsPayload(message, deps.siteUrl)), {}, options)).body;
  const body = webhookBody(message, deps.siteUrl, now.toISOString());
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers: Record<string, string> = { 'x-vigil-timestamp': timestamp, 'x-vigil-delivery': deliveryKey };
  if (channel.secret) headers['x-vigil-signature'] = signWebhook(channel.secret, timestamp, body);
  return (await postWebhook(url, body, headers, options)).body;
}

const errorText = (e: unknown) => (e instanceof FetchError ? `${e.code}: ${e.message}` : (e as Error).message).slice(0, 1000);
const retryable = (e: unknown) => !(e instanceof Permanent) && (e instanceof FetchError || e instanceof SmtpError ? e.retryable : true);

/** What the log records after an attempt. */
function outcome(attempts: number, error: unknown | null, deps: AlertDeps): DeliveryUpdate {
  const now = deps.now();
  if (error === null) return { status: 'sent', attempts, nextAttemptAt: null, lastError: null, sentAt: now.toISOString() };
  const policy = { ...DEFAULT_RETRY, ...deps.retry };
  if (!retryable(error) || attempts >= policy.maxAttempts) return { status: 'dead', attempts, nextAttemptAt: null, lastError: errorText(error), sentAt: null };
  const at = new Date(now.getTime() + retryDelay(attempts, policy, deps.random ?? Math.random)).toISOString();
  return { status: 'failed', attempts, nextAttemptAt: at, lastError: errorText(error), sentAt: null };
}

/** Sends one message for a group of deliveries (one, or a digest's) and records the same outcome on each. */
async function attempt(rows: readonly AlertDelivery[], watchlists: ReadonlyMap<string, Watchlist>, deps: AlertDeps, store: Store): Promise<DeliveryReport[]> {
  const [first] = rows;
  const watchlist = watchlists.get(first.watchlist);
  const channel = watchlist?.channels.find((c) => channelKey(c) === first.channel);
  let error: unknown | null = null;
  if (!watchlist || !channel) error = new Permanent(`the watchlist ${watchlist ? 'no longer has this channel' : 'was removed'}`);
  else if (!watchlist.enabled) error = new Permanent('the watchlist is disabled');
  else {
    const message: AlertMessage = { watchlist: watchlist.name, schedule: first.schedule, entries: rows.map((r) => r.payload as AlertEntry) };
    try {
      await sendMessage(channel, message, deps, rows.length === 1 ? `vigil-${first.id}` : `vigil-digest-${first.id}-${rows.length}`);
    } catch (e) {
      error = e;
    }
  }
  const reports: DeliveryReport[] = [];
  for (const row of rows) {
    const u = outcome(row.attempts + 1, error, deps);
    await store.markDelivery(row.id, u);
    reports.push({ id: row.id, watchlist: row.watchlist, channel: row.channel, status: u.status, attempts: u.attempts, error: u.lastError });
  }
  return reports;
}

const leaseUntil = (deps: AlertDeps) => new Date(deps.now().getTime() + LEASE_MS).toISOString();

const byName = async (store: Store) => new Map((await store.listWatchlists()).map((w) => [w.name, w]));

/** Sends every immediate alert that is due (new, or a retry whose time has come). */
export async function deliverDue(store: Store, deps: AlertDeps, limit = 100): Promise<DeliveryReport[]> {
  const rows = await store.dueDeliveries(deps.now().toISOString(), limit, { leaseUntil: leaseUntil(deps) });
  if (rows.length === 0) return [];
  const watchlists = await byName(store);
  const reports: DeliveryReport[] = [];
  for (const row of rows) reports.push(...(await attempt([row], watchlists, deps, store)));
  return reports;
}

/** Sends each daily or weekly watchlist's due digest: one message per watchlist and channel, listing the period's items. */
export async function runDigests(store: Store, deps: AlertDeps, limit = 1000): Promise<DeliveryReport[]> {
  const rows = await store.dueDeliveries(deps.now().toISOString(), limit, { digest: true, leaseUntil: leaseUntil(deps) });
  if (rows.length === 0) return [];
  const groups = new Map<string, AlertDelivery[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.watchlist, row.channel]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const watchlists = await byName(store);
  const reports: DeliveryReport[] = [];
  for (const group of groups.values()) reports.push(...(await attempt(group, watchlists, deps, store)));
  return reports;
}
