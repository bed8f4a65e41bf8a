/** The page frame shared by every view: head, stylesheet link, top bar. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { tryGetContext } from 'hono/context-storage';
import type { AppEnv } from '../context.js';
import { UserMenu } from './user-menu.js';

export function Layout(props: { title: string; children: Child }) {
  const v = tryGetContext<AppEnv>()?.var;
  const user = v?.user ?? null;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Vigil</title>
        <link rel="stylesheet" href="/static/vigil.css" />
        <link rel="icon" href="/static/vigil.svg" type="image/svg+xml" />
        <script src="/static/vigil.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#content">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">Vigil</a>
          <span class="muted">security news center</span>
          <nav aria-label="Main"><a href="/">Items</a> <a href="/dashboard">Dashboard</a> <a href="/attack">ATT&amp;CK</a> <a href="/sources">Sources</a> <a href="/audit">Audit log</a> <a href="/false-positives">False positives</a> <a href="/profile">Profile</a>{user?.role === 'admin' ? <> <a href="/admin/users">Users</a></> : null}</nav>
          <UserMenu user={user} csrfToken={v?.csrfToken ?? ''} />
        </header>
        <main id="content">{props.children}</main>
      </body>
    </html>
  );
}

export function SeverityBadge(props: { level: string }) {
  return <span class={`badge sev-${props.level}`}>{props.level}</span>;
}

export function ExampleMark(props: { example: boolean }) {
  return props.example ? <span class="example" title="A demonstration document written by the Vigil team">example</span> : null;
}

export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'unknown');
