/** Shared test fixtures: the kb, a fixed clock, the shared reference data and the example documents. */
import fs from 'node:fs';
import path from 'node:path';
import { before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadKb, type Kb } from '../src/knowledge/load-kb.js';
import { NO_CATALOGS } from '../src/knowledge/catalogs.js';
import type { Item } from '../src/domain/index.js';
import { ingest, type PipelineContext } from '../src/pipeline.js';
import { openSqliteStore, type Store } from '../src/store/index.js';
import type { UserRole } from '../src/domain/user.js';
import { createSession, DEFAULT_LIFETIME_MS } from '../src/web/auth/sessions.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.VIGIL_SHARED_DATA ?? path.resolve(ROOT, '../shared/data');
export const EXAMPLES = path.join(ROOT, 'examples');

let kb: Kb | undefined;
export function testKb(): Kb {
  kb ??= loadKb();
  return kb;
}

/** A pipeline context with a fixed clock, so items are the same on every run. */
export function testContext(over: Partial<PipelineContext> = {}): PipelineContext {
  return {
    kb: testKb(), catalogs: NO_CATALOGS, profile: null, profileName: null,
    now: () => new Date('2026-12-01T12:00:00Z'), asOf: '2026-12-01', ...over,
  };
}

export function exampleFiles(): string[] {
  return fs.readdirSync(EXAMPLES).filter((f) => /\.(txt|md|html)$/.test(f) && f !== 'README.md').sort();
}

export const bytes = (s: string) => new TextEncoder().encode(s);

let examples: Promise<Map<string, Item>> | undefined;
/** The item of every example document, by file name: built once per test process and shared by the export tests. */
export function exampleItems(): Promise<Map<string, Item>> {
  examples ??= (async () => {
    const store = await openSqliteStore(':memory:');
    const items = new Map<string, Item>();
    for (const f of exampleFiles()) {
      const file = path.join(EXAMPLES, f);
      items.set(f, (await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext())).item);
    }
    await store.close();
    return items;
  })();
  return examples;
}

/** For a test file: loads the example items before its tests; `item` gives one by file name (a missing one fails the test). */
export function useExampleItems(): { item: (file: string) => Item; items: () => ReadonlyMap<string, Item> } {
  let items = new Map<string, Item>();
  before(async () => {
    items = await exampleItems();
  });
  return {
    items: () => items,
    item: (file) => {
      const item = items.get(file);
      if (!item) throw new Error(`no example item ${file}`);
      return item;
    },
  };
}

/**
 * For web tests: an account of `role` with a live session, made straight in the store (no password hashing, no log-in
 * request). `headers` are what a same-site browser sends: the cookie and the CSRF token.
 */
export async function signIn(store: Store, role: UserRole = 'analyst', name = `test-${role}`): Promise<{ userId: string; cookie: string; csrfToken: string; headers: Record<string, string> }> {
  const at = new Date().toISOString();
  const existing = await store.getUserByName(name);
  const userId = existing?.id ?? `usr_${name}`;
  if (!existing) await store.createUser({ id: userId, name, role, passwordHash: 'scrypt$test-account-without-password', createdAt: at, passwordChangedAt: at });
  const { id, csrfToken } = await createSession(store, userId, { lifetimeMs: DEFAULT_LIFETIME_MS }, new Date());
  const cookie = `vigil_session=${id}`;
  return { userId, cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

/** Text as hono/jsx (and marked) write it into HTML, to find rendered values in a page. */
export const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** The text an HTML fragment of escaped() text stands for. */
export const unescaped = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
