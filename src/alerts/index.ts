/** Alerts: matched items queued per watchlist and channel as they are stored, then sent by the alert worker; the entry point for the pipeline and the CLI. */
import type { Item } from '../domain/index.js';
import type { AlertSchedule } from '../domain/watchlist.js';
import type { Store } from '../store/store.js';
import { channelKey } from './deliver.js';
import { matches } from './match.js';
import { alertEntry } from './payloads.js';

export { channelKey, deliverDue, runDigests, sendMessage, signWebhook, type AlertDeps, type DeliveryReport, type RetryPolicy, DEFAULT_RETRY } from './deliver.js';
export { matches, type Match } from './match.js';
export { alertEntry, type AlertEntry, type AlertMessage } from './payloads.js';
export { smtpConfigFrom, type SmtpConfig } from './smtp.js';
export { AlertWorker } from './worker.js';

const DAY = 86_400_000;

/** When a digest that collects an item at `now` is sent: the next 00:00 UTC, or for weekly the next Monday 00:00 UTC. */
export function digestTime(schedule: Exclude<AlertSchedule, 'immediate'>, now: Date): string {
  const midnight = Math.floor(now.getTime() / DAY) * DAY + DAY;
  if (schedule === 'daily') return new Date(midnight).toISOString();
  const day = new Date(midnight).getUTCDay();
  return new Date(midnight + ((8 - day) % 7) * DAY).toISOString();
}

/** Queues the alerts an item raises; returns how many were queued (new, or again because its severity rose). */
export async function enqueueAlerts(store: Store, item: Item, ctx: { now: () => Date }): Promise<number> {
  // Example items are fictional: they show what Vigil does and must not page anyone.
  if (item.example) return 0;
  const now = ctx.now();
  let queued = 0;
  for (const watchlist of await store.listWatchlists()) {
    if (!watchlist.enabled) continue;
    const m = matches(watchlist, item);
    if (!m.matched) continue;
    const nextAttemptAt = watchlist.schedule === 'immediate' ? now.toISOString() : digestTime(watchlist.schedule, now);
    for (const channel of watchlist.channels) {
      const r = await store.enqueueDelivery({
        watchlist: watchlist.name, itemId: item.id, channel: channelKey(channel), schedule: watchlist.schedule,
        severity: item.severity.level, payload: alertEntry(item, m.reasons), nextAttemptAt,
      }, now.toISOString());
      if (r !== 'unchanged') queued++;
    }
  }
  return queued;
}

/** What the pipeline calls after storing an item: an alerting failure is reported and never loses the item already stored. */
export async function alertOnItem(store: Store, item: Item, ctx: { now: () => Date }): Promise<number> {
  try {
    return await enqueueAlerts(store, item, ctx);
  } catch (e) {
    process.stderr.write(`vigil: alerts: ${item.id}: ${(e as Error).message}\n`);
    return 0;
  }
}
