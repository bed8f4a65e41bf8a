/**
 * The frame of a kept page (head, top bar with the user menu, the main element's edges), rendered once per viewer with markers
 * where the title and the main part go: a request fills in the title, escaped as JSX escapes text, and renders nothing.
 */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { randomBytes } from 'node:crypto';
import { tryGetContext } from 'hono/context-storage';
import { raw } from 'hono/html';
import { escapeToBuffer } from 'hono/utils/html';
import type { AppEnv } from './context.js';
import { Layout } from './views/layout.js';

/** Made when the process starts, after every name and title it could meet was written: none of them can contain these. */
const TITLE = `title${randomBytes(16).toString('hex')}`;
const MAIN = `main${randomBytes(16).toString('hex')}`;
/** Viewers (sessions) whose frames are kept; the oldest goes first. */
const MAX_FRAMES = 1000;

export class FrameCache {
  readonly #frames = new Map<string, readonly [string, string, string]>();

  /** `<!doctype html>` and the frame up to the main part's start, and from its end; for the viewer of this request. */
  async frame(title: string): Promise<[string, string]> {
    const v = tryGetContext<AppEnv>()?.var;
    // Everything the layout reads of the request: who is signed in and the session's CSRF token.
    const key = JSON.stringify([v?.user ?? null, v?.csrfToken ?? '']);
    let f = this.#frames.get(key);
    if (!f) {
      const html = `<!doctype html>${await (<Layout title={TITLE}>{raw(MAIN)}</Layout>)}`;
      const [beforeTitle, rest] = html.split(TITLE);
      const [afterTitle, tail] = rest.split(MAIN);
      f = [beforeTitle, afterTitle, tail] as const;
      this.#frames.set(key, f);
      if (this.#frames.size > MAX_FRAMES) this.#frames.delete(this.#frames.keys().next().value!);
    }
    const escaped: [string] = [''];
    escapeToBuffer(title, escaped);
    return [`${f[0]}${escaped[0]}${f[1]}`, f[2]];
  }
}
