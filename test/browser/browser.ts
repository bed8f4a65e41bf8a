// Drives Debian's chromium through playwright-core for the browser tests, watching every page for dialogs, script errors and injected markup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type AppOptions, createApp } from '../../src/web/app.js';
import { type Server, startServer } from '../../src/web/serve.js';
import { ROOT } from '../helpers.js';

export const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The news center on a loopback port and a browser to drive it; `close` shuts both (the caller keeps its store). */
export interface BrowserRig { readonly server: Server; readonly browser: Browser; close(): Promise<void> }

export async function serveToBrowser(options: AppOptions): Promise<BrowserRig> {
  const server = await startServer(createApp(options), 0);
  const browser = await launchBrowser();
  return { server, browser, close: async () => { await browser.close(); await server.close(); } };
}

/** A browser context that carries a session cookie (as signIn() in test/helpers.ts makes it), so every page opens signed in. */
export async function signedInContext(rig: BrowserRig, cookie: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await rig.browser.newContext(options);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: rig.server.url }]);
  return context;
}

/**
 * What a watched page saw that script injection would cause: dialogs opened, uncaught errors, and every console message
 * (a payload calling console.*, a CSP violation report, a resource a planted tag tried to load all show up there).
 */
export interface PageWatch {
  readonly dialogs: string[];
  readonly errors: string[];
  readonly console: string[];
}

export function watch(page: Page): PageWatch {
  const w: PageWatch = { dialogs: [], errors: [], console: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => w.errors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => w.console.push(`${page.url()}: ${m.type()} ${m.text()}`));
  return w;
}

/** Markup in the live DOM that only an injection could have put there: handlers, foreign scripts, frames, script URLs. */
export function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name)) found.push(`<${el.localName} ${a.name}>`);
        if (/^(href|src|action|formaction|data|poster|background|xlink:href|srcdoc)$/i.test(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value)) {
          found.push(`<${el.localName} ${a.name}="${a.value.slice(0, 40)}">`);
        }
      }
      if (el.localName === 'script' && !(el.getAttribute('src') ?? '').startsWith('/static/')) found.push('<script> not ours');
      if (['iframe', 'object', 'embed', 'frame', 'frameset', 'portal', 'base', 'meta'].includes(el.localName) && !(el.localName === 'meta' && !el.hasAttribute('http-equiv'))) {
        found.push(`<${el.localName}>`);
      }
    }
    if ((window as unknown as { __xss?: unknown }).__xss !== undefined) found.push('window.__xss set');
    return found;
  });
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page, each as "rule (impact): the first elements it names". */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await (globalThis as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** axe-core's violations on each page in light and dark mode, signed in with `cookie`, each as "path (scheme): violation". */
export async function axeAcross(rig: BrowserRig, cookie: string, paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await signedInContext(rig, cookie, { colorScheme });
    const page = await context.newPage();
    for (const p of paths) {
      const res = await page.goto(`${rig.server.url}${p}`);
      assert.ok(res && res.status() < 500, `${p}: HTTP ${res?.status()}`);
      found.push(...(await axeViolations(page)).map((v) => `${p} (${colorScheme}): ${v}`));
    }
    await context.close();
  }
  return found;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export type { Browser, BrowserContext, Page };
