/** `vigil watch ...` and `vigil alerts ...`: watchlists, a test send, the delivery log, and sending due alerts now. */
import { type Command, Option } from 'commander';
import { type AlertDeps, AlertWorker, channelKey, deliverDue, type DeliveryReport, runDigests, sendMessage, smtpConfigFrom } from '../alerts/index.js';
import { SEVERITIES } from '../domain/index.js';
import { ALERT_SCHEDULES, type Channel, validateWatchlist, type Watchlist, WatchlistError } from '../domain/watchlist.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../store/store.js';
import { type Runtime, withStore } from './context.js';
import { USER_AGENT } from './sources.js';

/** What sending needs, from the runtime: the fetch guard's policy, SMTP from VIGIL_SMTP_URL, links from VIGIL_SITE_URL. */
export function alertDeps(rt: Runtime, version: string, env: NodeJS.ProcessEnv = process.env): AlertDeps {
  return {
    siteUrl: (env.VIGIL_SITE_URL || `http://${rt.config.host}:${rt.config.port}`).replace(/\/+$/, ''),
    guard: { allowPrivateNetworks: rt.config.allowPrivateNetworks, allowHosts: rt.config.allowHosts },
    userAgent: USER_AGENT(version), smtp: smtpConfigFrom(env), now: () => new Date(),
  };
}

export function alertWorker(rt: Runtime, version: string): AlertWorker {
  return new AlertWorker(rt.store, alertDeps(rt, version), { onReport: (r) => out(`alert: ${deliveryLine(r)}`) });
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function deliveryLine(r: DeliveryReport): string {
  return `${r.watchlist} ${r.channel} #${r.id}: ${r.status} after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}${r.error ? ` (${r.error})` : ''}`;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A channel as the list shows it: a secret URL shows only its host, a secret never. */
const describe = (c: Channel) => `${channelKey(c)}${c.secret ? ' (signed)' : ''}`;

function rulesLine(w: Watchlist): string {
  return Object.entries(w.rules).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ');
}

async function requireWatchlist(rt: Runtime, name: string): Promise<Watchlist> {
  const w = (await rt.store.listWatchlists()).find((x) => x.name === name);
  if (!w) throw new WatchlistError(`no watchlist named "${name}" (vigil watch list shows them)`);
  return w;
}

export function alertsCommands(p: Command, version: string, common: (c: Command) => Command): void {
  const watch = p.command('watch').description('watchlists: which items alert, and where the alerts go');
  common(watch.command('add').description('add a watchlist (or replace the one of that name)'))
    .argument('<name>', 'short name: lower case, digits, . _ -')
    .option('--vendor <vendor>', 'a vendor (repeatable)', collect)
    .option('--product <product>', 'a product (repeatable)', collect)
    .option('--cve <cve>', 'a CVE id (repeatable)', collect)
    .option('--sector <sector>', 'a sector id or label (repeatable)', collect)
    .option('--archetype <archetype>', 'an incident type id or label (repeatable)', collect)
    .addOption(new Option('--min-severity <level>', 'at least this severity').choices([...SEVERITIES]))
    .option('--min-priority <n>', 'at least this priority (0..1)')
    .option('--affects-us', "only items involving the team profile's vendors, products or sector")
    .option('--webhook <url>', 'a generic JSON webhook (repeatable)', collect)
    .option('--secret <secret>', 'HMAC-SHA256 key signing the generic webhooks (16 characters or more)')
    .option('--slack <url>', 'a Slack incoming webhook (repeatable)', collect)
    .option('--teams <url>', 'a Microsoft Teams incoming webhook or workflow URL (repeatable)', collect)
    .option('--email <address>', 'a mail recipient (repeatable; needs VIGIL_SMTP_URL)', collect)
    .addOption(new Option('--digest <period>', 'collect matches and send one message per period').choices(ALERT_SCHEDULES.filter((s) => s !== 'immediate')))
    .option('--disabled', 'add it disabled')
    .action((name, flags) => withStore(flags, async (rt) => {
      const channels: Channel[] = [
        ...(flags.webhook ?? []).map((url: string) => ({ kind: 'webhook', url, ...(flags.secret ? { secret: flags.secret } : {}) })),
        ...(flags.slack ?? []).map((url: string) => ({ kind: 'slack', url })),
        ...(flags.teams ?? []).map((url: string) => ({ kind: 'teams', url })),
        ...(flags.email ? [{ kind: 'email', to: flags.email }] : []),
      ];
      if (flags.secret && !flags.webhook) throw new WatchlistError('--secret signs --webhook channels; give a --webhook');
      const rules = {
        vendors: flags.vendor, products: flags.product, cves: flags.cve, sectors: flags.sector, archetypes: flags.archetype,
        minSeverity: flags.minSeverity, minPriority: flags.minPriority === undefined ? undefined : Number(flags.minPriority),
        affectsUs: flags.affectsUs ? true : undefined,
      };
      const w = validateWatchlist({
        name, rules: Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined)), channels,
        schedule: flags.digest ?? 'immediate', enabled: !flags.disabled,
      }, `watchlist ${name}`);
      const r = await rt.store.saveWatchlist(w, rt.pipeline.now().toISOString());
      out(`${r === 'inserted' ? 'added' : r} watchlist ${w.name}: ${rulesLine(w)} -> ${w.channels.map(describe).join(', ')} (${w.schedule}${w.enabled ? '' : ', disabled'})`);
    }));
  common(watch.command('list').description('every watchlist with its rules and channels'))
    .option('--json', 'print JSON (secrets masked)')
    .action((flags) => withStore(flags, async (rt) => {
      const list = await rt.store.listWatchlists();
      if (flags.json) {
        const masked = list.map((w) => ({ ...w, channels: w.channels.map((c) => ({ kind: c.kind, channel: channelKey(c), signed: Boolean(c.secret), ...(c.to ? { to: c.to } : {}) })) }));
        return out(JSON.stringify(masked, null, 2));
      }
      if (list.length === 0) return out('no watchlists yet: vigil watch add NAME --min-severity HIGH --webhook URL');
      for (const w of list) out([w.name, w.enabled ? w.schedule : 'disabled', rulesLine(w), w.channels.map(describe).join(', ')].join('\t'));
    }));
  common(watch.command('remove').description('remove a watchlist (its delivery log stays)')).argument('<name>')
    .action((name, flags) => withStore(flags, async (rt) => {
      if (!(await rt.store.removeWatchlist(name))) throw new WatchlistError(`no watchlist named "${name}"`);
      out(`removed ${name}`);
    }));
  common(watch.command('test').description('send a test message to every channel of a watchlist now; nothing is queued or logged')).argument('<name>')
    .action((name, flags) => withStore(flags, async (rt) => {
      const w = await requireWatchlist(rt, name);
      const deps = alertDeps(rt, version);
      const entry = {
        itemId: 'test', title: `Test alert from Vigil for watchlist ${w.name}`, severity: 'INFORMATIONAL', priority: 0, triage: 'ROUTINE',
        reasons: ['vigil watch test'], summary: 'This message checks that alerts reach this channel. No item matched.',
      };
      let failed = 0;
      for (const c of w.channels) {
        try {
          await sendMessage(c, { watchlist: w.name, schedule: 'immediate', entries: [entry], test: true }, deps, `vigil-test-${Date.now()}`);
          out(`${describe(c)}: sent`);
        } catch (e) {
          failed++;
          out(`${describe(c)}: failed: ${(e as Error).message}`);
        }
      }
      process.exitCode = failed > 0 ? 1 : 0;
    }));

  const alerts = p.command('alerts').description('the alert delivery log, and sending due alerts now');
  common(alerts.command('log').description('deliveries, newest first: sent, pending, failed (retrying) and dead (given up)'))
    .addOption(new Option('--status <status>', 'only this status').choices([...DELIVERY_STATUSES]))
    .option('--watchlist <name>', 'only this watchlist')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action((flags) => withStore(flags, async (rt) => {
      const rows = await rt.store.listDeliveries({ status: flags.status as DeliveryStatus | undefined, watchlist: flags.watchlist, limit: Number(flags.limit) || 100 });
      if (flags.json) return out(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return out('no deliveries');
      out(['id', 'created', 'watchlist', 'channel', 'item', 'severity', 'status', 'attempts', 'next attempt', 'last error'].join('\t'));
      for (const r of rows) {
        out([r.id, r.createdAt, r.watchlist, r.channel, r.itemId, r.severity, r.status, r.attempts, r.nextAttemptAt ?? '-', r.lastError ?? '-'].join('\t'));
      }
    }));
  common(alerts.command('send').description('send the alerts and digests that are due now, then exit (for cron)'))
    .action((flags) => withStore(flags, async (rt) => {
      const deps = alertDeps(rt, version);
      const reports = [...(await deliverDue(rt.store, deps)), ...(await runDigests(rt.store, deps))];
      for (const r of reports) out(deliveryLine(r));
      if (reports.length === 0) out('nothing due');
      process.exitCode = reports.some((r) => r.status === 'dead') ? 1 : 0;
    }));
}
