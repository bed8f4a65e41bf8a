/** The page frame shared by every view: head, stylesheet link, top bar. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

export function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Vigil</title>
        <link rel="stylesheet" href="/static/vigil.css" />
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">Vigil</a>
          <span class="muted">security news center</span>
          <nav><a href="/">Items</a> <a href="/dashboard">Dashboard</a> <a href="/attack">ATT&amp;CK</a> <a href="/sources">Sources</a></nav>
        </header>
        <main>{props.children}</main>
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
