/** Configuration: one table of options (flag, environment variable, default), parsed once at start-up into a frozen object. */
import path from 'node:path';

export interface Config {
  readonly db: string;
  readonly host: string;
  readonly port: number;
  readonly kbDir: string | null;
  readonly profile: string | null;
  readonly examples: boolean;
  readonly maxDocumentBytes: number;
  readonly schedule: boolean;
  readonly defaultSources: boolean;
  readonly allowPrivateNetworks: boolean;
  readonly allowHosts: readonly string[];
  readonly nvdApiKey: string | null;
  readonly nvdBackfillDays: number;
  readonly taxiiTokens: readonly string[];
  readonly anonymousRead: boolean;
  /** null: on when siteUrl is https (src/web/auth/sessions.ts says why http cannot have it). */
  readonly secureCookies: boolean | null;
  readonly siteUrl: string | null;
  readonly llmUrl: string | null;
  readonly llmModel: string | null;
  readonly llmApiKey: string | null;
  readonly llmTimeoutMs: number;
}

interface Option<K extends keyof Config> {
  readonly key: K;
  readonly env: string;
  readonly fallback: Config[K];
  readonly parse: (raw: string) => Config[K];
  readonly description: string;
}

function port(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`config: port must be an integer 0..65535, got "${raw}"`);
  return n;
}
function bytes(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`config: VIGIL_MAX_DOCUMENT_BYTES must be a positive integer, got "${raw}"`);
  return n;
}
function days(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new Error(`config: VIGIL_NVD_BACKFILL_DAYS must be an integer 1..3650, got "${raw}"`);
  return n;
}
/** An http(s) URL from the environment variable `name`; anything else is refused with the variable's name and an example. */
function parseHttpUrl(raw: string, name: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`config: ${name} must be an http(s) URL such as ${example}, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`config: ${name} must be an http(s) URL such as ${example}, got "${raw}"`);
  return url;
}
function siteUrl(raw: string): string {
  parseHttpUrl(raw, 'VIGIL_SITE_URL', 'https://vigil.example.org');
  return raw.replace(/\/+$/, '');
}
function timeoutMs(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100 || n > 600_000) throw new Error(`config: VIGIL_LLM_TIMEOUT_MS must be an integer 100..600000, got "${raw}"`);
  return n;
}
function httpUrl(raw: string): string {
  const url = parseHttpUrl(raw, 'VIGIL_LLM_URL', 'http://127.0.0.1:11434/v1');
  if (url.username || url.password) throw new Error('config: VIGIL_LLM_URL must not carry credentials; use VIGIL_LLM_API_KEY');
  return raw;
}
const text = (raw: string) => raw;
const list = (raw: string) => raw.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
const secrets = (raw: string) => raw.split(',').map((t) => t.trim()).filter(Boolean);
const bool = (raw: string) => !/^(0|false|no|off)$/i.test(raw);

export const OPTIONS = [
  { key: 'db', env: 'VIGIL_DB', fallback: path.join('data', 'vigil.db'), parse: text, description: 'SQLite database file' },
  { key: 'host', env: 'VIGIL_HOST', fallback: '127.0.0.1', parse: text, description: 'address the web server listens on' },
  { key: 'port', env: 'VIGIL_PORT', fallback: 8080, parse: port, description: 'port the web server listens on' },
  { key: 'kbDir', env: 'VIGIL_KB_DIR', fallback: null, parse: text, description: 'knowledge base folder (default: the kb/ shipped with Vigil)' },
  { key: 'profile', env: 'VIGIL_PROFILE', fallback: null, parse: text, description: "the team's profile file (YAML or JSON)" },
  { key: 'examples', env: 'VIGIL_EXAMPLES', fallback: true, parse: bool, description: 'ingest examples/ into an empty database on first start' },
  { key: 'maxDocumentBytes', env: 'VIGIL_MAX_DOCUMENT_BYTES', fallback: 20 * 1024 * 1024, parse: bytes, description: 'largest document accepted' },
  { key: 'schedule', env: 'VIGIL_SCHEDULE', fallback: true, parse: bool, description: '`vigil serve` fetches due sources in-process' },
  { key: 'defaultSources', env: 'VIGIL_DEFAULT_SOURCES', fallback: true, parse: bool, description: 'add src/sources/default-sources.yaml on the first `vigil serve` of a database with no sources' },
  { key: 'allowPrivateNetworks', env: 'VIGIL_FETCH_ALLOW_PRIVATE', fallback: false, parse: bool, description: 'let fetches reach loopback, private and link-local addresses (off: the SSRF guard refuses them)' },
  { key: 'allowHosts', env: 'VIGIL_FETCH_ALLOW_HOSTS', fallback: [] as readonly string[], parse: list, description: 'comma-separated hosts the SSRF guard lets through even on private addresses (an intranet feed)' },
  { key: 'nvdApiKey', env: 'VIGIL_NVD_API_KEY', fallback: null, parse: text, description: 'NVD API key: 50 requests per 30 s instead of 5' },
  { key: 'taxiiTokens', env: 'VIGIL_TAXII_TOKENS', fallback: [] as readonly string[], parse: secrets, description: 'comma-separated API tokens for the TAXII 2.1 server at /taxii2/ (none: TAXII is off)' },
  { key: 'anonymousRead', env: 'VIGIL_ANONYMOUS_READ', fallback: false, parse: bool, description: 'pages and the read API without signing in (never writes); off by default' },
  { key: 'secureCookies', env: 'VIGIL_SECURE_COOKIES', fallback: null, parse: bool, description: 'session cookie `__Host-vigil_session` with Secure (default: on when VIGIL_SITE_URL is https)' },
  { key: 'siteUrl', env: 'VIGIL_SITE_URL', fallback: null, parse: siteUrl, description: 'the address browsers use (links in alerts; the origin forms may post from behind a reverse proxy)' },
  { key: 'nvdBackfillDays', env: 'VIGIL_NVD_BACKFILL_DAYS', fallback: 30, parse: days, description: 'how far back the first NVD run reads modified CVEs' },
  { key: 'llmUrl', env: 'VIGIL_LLM_URL', fallback: null, parse: httpUrl, description: 'an OpenAI-compatible API base (Ollama http://127.0.0.1:11434/v1, vLLM, a hosted API) for the optional summary rewrite; none: the composed text is kept' },
  { key: 'llmModel', env: 'VIGIL_LLM_MODEL', fallback: null, parse: text, description: 'the model the rewrite asks for (required with VIGIL_LLM_URL)' },
  { key: 'llmApiKey', env: 'VIGIL_LLM_API_KEY', fallback: null, parse: text, description: 'bearer token for the rewrite endpoint, when it needs one' },
  { key: 'llmTimeoutMs', env: 'VIGIL_LLM_TIMEOUT_MS', fallback: 20_000, parse: timeoutMs, description: 'how long one rewrite may take before the composed text is kept' },
] as const satisfies readonly Option<keyof Config>[];

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(flags: Partial<Record<keyof Config, string | number | boolean | undefined>>, env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const o of OPTIONS) {
    const flag = flags[o.key];
    const raw = flag !== undefined ? String(flag) : env[o.env];
    out[o.key] = raw !== undefined && raw !== '' ? (o.parse as (r: string) => unknown)(raw) : o.fallback;
  }
  return Object.freeze(out) as unknown as Config;
}
