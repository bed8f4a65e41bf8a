/** Watchlist: rules an item must meet to alert, where the alert goes (webhook, Slack, Teams, email) and when (now or as a digest). */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SeveritySchema } from './score.js';

export const ALERT_SCHEDULES = ['immediate', 'daily', 'weekly'] as const;
export type AlertSchedule = (typeof ALERT_SCHEDULES)[number];

export const CHANNEL_KINDS = ['webhook', 'slack', 'teams', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const Words = (description: string) => Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 100, description }));

export const WatchRulesSchema = Type.Object(
  {
    vendors: Words('Any of these vendors (organisations with the vendor role, or the vendor of a product), case-insensitive.'),
    products: Words('Any of these products, case-insensitive.'),
    cves: Type.Optional(Type.Array(Type.String({ pattern: '^[Cc][Vv][Ee]-\\d{4}-\\d{4,}$' }), { minItems: 1, maxItems: 1000 })),
    sectors: Words('Any of these sectors (id or label), case-insensitive.'),
    archetypes: Words('Any of these incident archetypes (id or label), case-insensitive.'),
    minSeverity: Type.Optional(SeveritySchema),
    minPriority: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    affectsUs: Type.Optional(Type.Boolean({ description: "The team profile's vendors, products or sector are involved (the relevance priority factor)." })),
  },
  { additionalProperties: false, description: 'Every rule given must hold; a list holds when any of its values does.' },
);
export type WatchRules = Static<typeof WatchRulesSchema>;

export const ChannelSchema = Type.Object(
  {
    kind: Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k))),
    url: Type.Optional(Type.String({ pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', maxLength: 2000 })),
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 500, description: 'HMAC-SHA256 key that signs generic webhook bodies.' })),
    to: Type.Optional(Type.Array(Type.String({ pattern: '^[^\\s@<>,;"\'\\\\]+@[^\\s@<>,;"\'\\\\]+$', maxLength: 254 }), { minItems: 1, maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type Channel = Static<typeof ChannelSchema>;

export const WatchlistSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Short stable name: lower case, digits, . _ -' }),
    rules: WatchRulesSchema,
    channels: Type.Array(ChannelSchema, { minItems: 1, maxItems: 20 }),
    schedule: Type.Union(ALERT_SCHEDULES.map((s) => Type.Literal(s))),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false, $id: 'Watchlist' },
);
export type Watchlist = Static<typeof WatchlistSchema>;

export class WatchlistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchlistError';
  }
}

/** What each channel kind needs: the schema cannot say "url when kind is slack", so it is said here. */
function checkChannel(c: Channel, where: string): void {
  if (c.kind === 'email') {
    if (!c.to) throw new WatchlistError(`${where}: an email channel needs recipients (to)`);
    if (c.url || c.secret) throw new WatchlistError(`${where}: an email channel takes no url or secret`);
    return;
  }
  if (!c.url) throw new WatchlistError(`${where}: a ${c.kind} channel needs an http(s) url`);
  if (c.to) throw new WatchlistError(`${where}: a ${c.kind} channel takes no recipients`);
  // Slack and Teams incoming webhooks authenticate by their secret URL; a signature only means something to a receiver of ours.
  if (c.secret && c.kind !== 'webhook') throw new WatchlistError(`${where}: only a generic webhook is signed with a secret`);
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw new WatchlistError(`${where}: url is not a valid URL`);
  }
  if (url.username || url.password) throw new WatchlistError(`${where}: URLs with credentials are refused`);
}

/** Checks a watchlist and says which field is wrong and why; a watchlist with no rule would alert on every item, so it is refused. */
export function validateWatchlist(raw: unknown, where = 'watchlist'): Watchlist {
  if (typeof raw !== 'object' || raw === null) throw new WatchlistError(`${where}: not an object`);
  const candidate = { schedule: 'immediate', enabled: true, rules: {}, ...(raw as Record<string, unknown>) };
  const error = Value.Errors(WatchlistSchema, candidate).First();
  if (error) throw new WatchlistError(`${where}: ${error.path.slice(1) || '(root)'}: ${error.message} (got ${JSON.stringify(error.value)})`);
  const w = structuredClone(candidate) as Watchlist;
  if (Object.values(w.rules).every((v) => v === undefined)) {
    throw new WatchlistError(`${where}: no rules; give at least one (--min-severity INFORMATIONAL matches every item)`);
  }
  w.channels.forEach((c, i) => checkChannel(c, `${where}: channels/${i}`));
  return w;
}
