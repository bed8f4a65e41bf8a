/** The news center's stylesheet, served from /static so the CSP can forbid inline styles. */
export const STYLESHEET = `
:root { --fg:#1d232a; --muted:#5b6672; --bg:#fbfbfc; --card:#fff; --line:#dfe3e8; --link:#0b5cad;
  --critical:#8b0000; --high:#c2410c; --medium:#a16207; --low:#15803d; --info:#475569; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6e8eb; --muted:#a3acb7; --bg:#14171a; --card:#1c2024; --line:#2f353c; --link:#7cb7ff;
  --critical:#ff6b6b; --high:#ff9e5e; --medium:#f5c451; --low:#6fd08c; --info:#a3acb7; } }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif; color:var(--fg); background:var(--bg); }
header.top { padding:.6rem 1.2rem; border-bottom:1px solid var(--line); display:flex; gap:1rem; align-items:baseline; }
header.top a.brand { font-weight:700; font-size:1.1rem; color:var(--fg); text-decoration:none; }
main { max-width:1100px; margin:0 auto; padding:1rem 1.2rem 3rem; }
a { color:var(--link); }
h1 { font-size:1.45rem; margin:.2rem 0 .6rem; } h2 { font-size:1.15rem; margin:1.6rem 0 .5rem; border-bottom:1px solid var(--line); padding-bottom:.2rem; }
h3 { font-size:1rem; margin:1rem 0 .3rem; }
table { border-collapse:collapse; width:100%; margin:.4rem 0; font-size:.93rem; }
th, td { text-align:left; vertical-align:top; padding:.35rem .5rem; border-bottom:1px solid var(--line); }
th { color:var(--muted); font-weight:600; }
code, pre { font-family:ui-monospace,SFMono-Regular,Menlo,monospace; font-size:.86rem; }
pre { background:var(--card); border:1px solid var(--line); padding:.6rem; overflow-x:auto; white-space:pre-wrap; word-break:break-word; }
.badge { display:inline-block; padding:.05rem .45rem; border-radius:.3rem; font-size:.8rem; font-weight:700; color:#fff; background:var(--info); }
.sev-CRITICAL { background:var(--critical); } .sev-HIGH { background:var(--high); } .sev-MEDIUM { background:var(--medium); }
.sev-LOW { background:var(--low); } .sev-INFORMATIONAL { background:var(--info); }
.muted { color:var(--muted); } .example { border:1px dashed var(--muted); border-radius:.3rem; padding:0 .35rem; font-size:.78rem; color:var(--muted); }
.facts { display:grid; grid-template-columns:max-content 1fr; gap:.2rem 1rem; margin:.4rem 0; }
.facts dt { color:var(--muted); } .facts dd { margin:0; }
.step { background:var(--card); border:1px solid var(--line); border-radius:.4rem; padding:.6rem .9rem; margin:.6rem 0; }
.step h3 { margin-top:0; } .refs { font-size:.88rem; }
details summary { cursor:pointer; color:var(--link); }
.benign { color:var(--muted); }
.disclaimer { font-size:.88rem; color:var(--muted); border-top:1px solid var(--line); padding-top:.6rem; }
.num { font-variant-numeric: tabular-nums; }
td.date { white-space: nowrap; }
@media print { header.top, .noprint { display:none; } body { background:#fff; color:#000; font-size:11pt; }
  main { max-width:none; padding:0; } .step { break-inside:avoid; } details { display:block; } details > * { display:block; }
  a { color:#000; text-decoration:none; } .badge { color:#000; border:1px solid #000; background:none; } }
/* Accounts: the user menu, the sign-in and set-up forms. */
header.top nav { flex:1; }
.user-menu { display:flex; gap:.6rem; align-items:baseline; font-size:.93rem; }
form.inline { display:inline; margin:0; }
button.link { background:none; border:0; padding:0; color:var(--link); text-decoration:underline; cursor:pointer; font:inherit; }
.auth-form { max-width:26rem; margin:2rem auto; }
.auth-form form { display:grid; gap:.8rem; margin:1rem 0; }
.auth-form label { display:grid; gap:.2rem; font-weight:600; }
.auth-form label .muted { font-weight:400; font-size:.85rem; }
.auth-form input { font:inherit; padding:.4rem .5rem; border:1px solid var(--line); border-radius:.3rem; background:var(--card); color:var(--fg); }
.auth-form button { font:inherit; padding:.45rem .8rem; border:0; border-radius:.3rem; background:var(--link); color:#fff; cursor:pointer; justify-self:start; }
.form-error { border-left:3px solid var(--critical); padding:.3rem .6rem; background:var(--card); }
/* The admin page: users and tokens. */
.notice { border-left:3px solid var(--low); padding:.3rem .6rem; background:var(--card); }
.new-token { border:2px solid var(--link); border-radius:.4rem; padding:.2rem .9rem .4rem; margin:.8rem 0; background:var(--card); }
.new-token h2 { border:0; margin-top:.4rem; }
.admin input[type=password], .admin input[type=number], .admin select { font:inherit; color:var(--fg); background:var(--bg); border:1px solid var(--muted); border-radius:.25rem; padding:.2rem .35rem; }
.admin details.more form { margin:.3rem 0 .6rem; }
:focus-visible { outline:2px solid var(--link); outline-offset:2px; }

/* Item page: the team's work, copy buttons, collapse, accessibility, dark mode and print. */
.sr-only { position:absolute; width:1px; height:1px; padding:0; margin:-1px; overflow:hidden; clip:rect(0,0,0,0); white-space:nowrap; border:0; }
a.skip { position:absolute; left:-999px; top:.4rem; background:var(--card); padding:.3rem .6rem; border:2px solid var(--link); z-index:10; }
a.skip:focus { left:.6rem; }
:focus-visible { outline:3px solid var(--link); outline-offset:2px; }
summary:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible { outline:3px solid var(--link); outline-offset:2px; }
h2.sub { font-size:1rem; border:0; margin:1rem 0 .3rem; padding:0; }
.print-only { display:none; }
.copyable { display:inline-flex; flex-wrap:wrap; gap:.3rem; align-items:baseline; }
.copy-value { user-select:all; word-break:break-all; }
button { font:inherit; font-size:.82rem; color:var(--fg); background:var(--card); border:1px solid var(--muted); border-radius:.3rem; padding:.1rem .5rem; cursor:pointer; }
button:hover { border-color:var(--link); }
input[type=text], textarea { font:inherit; color:var(--fg); background:var(--bg); border:1px solid var(--muted); border-radius:.25rem; padding:.2rem .35rem; max-width:100%; }
form label { display:inline-flex; flex-direction:column; gap:.1rem; font-size:.85rem; color:var(--muted); margin:0 .6rem .4rem 0; vertical-align:bottom; }
form label.inline { flex-direction:row; align-items:center; gap:.3rem; color:var(--fg); }
.work { border-top:1px dashed var(--line); margin-top:.6rem; padding-top:.4rem; }
.step-status { font-size:.88rem; margin:.2rem 0; }
.step-done { border-left:4px solid var(--low); }
.form-error { color:var(--critical); font-weight:600; }
.verdict { font-size:.88rem; } .verdict-confirmed { color:var(--low); font-weight:600; } .verdict-rejected { color:var(--critical); font-weight:600; }
table.rejected td { color:var(--muted); }
details.more > summary, details.evidence > summary, details.review > summary { font-size:.85rem; }
details.evidence blockquote { margin:.3rem 0 .1rem; padding-left:.6rem; border-left:3px solid var(--line); }
details.evidence figure { margin:0 0 .4rem; }
.facts-evidence dl { display:grid; grid-template-columns:max-content 1fr; gap:.2rem 1rem; }
.facts-evidence dt { color:var(--muted); } .facts-evidence dd { margin:0; } .facts-evidence ul { margin:0; padding-left:1.1rem; }
td.hash { max-width:22rem; }
#iocs td:nth-child(2) { min-width:15rem; }
.pager { display:flex; gap:1rem; }
@media (prefers-color-scheme: dark) {
  .badge { color:#111; }
  input[type=text], textarea { background:var(--card); }
}
@media print {
  button, form, details.review, a.skip, .noprint { display:none !important; }
  .print-only { display:block; }
  details[open].more > summary, details[open].evidence > summary { display:none; }
  .step-done { border-left:4px solid #000; }
  .copy-value { user-select:text; }
  table { page-break-inside:auto; } tr { break-inside:avoid; }
  h2, h3 { break-after:avoid; }
  a[href^="http"]::after { content:" (" attr(href) ")"; font-size:.8em; word-break:break-all; }
}
/* The list: filter form, chips, read marks, pages, saved views (src/web/views/list.tsx). */
form.filters { background:var(--card); border:1px solid var(--line); border-radius:.4rem; padding:.6rem .8rem; margin:.4rem 0 .6rem; }
form.filters label { display:flex; flex-direction:column; font-size:.85rem; color:var(--muted); gap:.15rem; }
form.filters input, form.filters select, form.filters button, .views input, .views button { font:inherit; color:var(--fg); background:var(--bg); border:1px solid var(--line); border-radius:.3rem; padding:.25rem .4rem; }
form.filters button[type=submit], .views button[type=submit] { background:var(--link); color:var(--bg); border-color:var(--link); cursor:pointer; }
.search-row { display:flex; gap:.6rem; align-items:flex-end; flex-wrap:wrap; } .search-row .grow { flex:1 1 20rem; }
.filter-grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(12rem, 1fr)); gap:.6rem; margin-top:.5rem; }
fieldset.checks { border:1px solid var(--line); border-radius:.3rem; margin:0; padding:.2rem .5rem; font-size:.85rem; }
fieldset.checks label { flex-direction:row; align-items:center; gap:.3rem; color:var(--fg); }
.chips { display:flex; flex-wrap:wrap; gap:.35rem; margin:.3rem 0; }
a.chip { border:1px solid var(--line); background:var(--card); border-radius:1rem; padding:.05rem .6rem; font-size:.85rem; text-decoration:none; color:var(--fg); }
a.chip:hover, a.chip:focus { border-color:var(--link); } a.chip-clear { font-size:.85rem; align-self:center; }
.error { border-left:4px solid var(--critical); padding:.3rem .6rem; background:var(--card); }
tr.unread td { font-weight:600; }
.mark-unread, .mark-new { display:inline-block; font-size:.72rem; border-radius:.25rem; padding:0 .3rem; margin-right:.3rem; border:1px solid var(--link); color:var(--link); font-weight:600; }
.mark-new { border-color:var(--high); color:var(--high); }
nav.pages { display:flex; gap:.8rem; margin:.6rem 0; }
.views ul { padding-left:1.2rem; } form.inline { display:inline; }
button.link { background:none; border:none; color:var(--link); text-decoration:underline; cursor:pointer; padding:0; font:inherit; }
/* The pictures: heatmap, items per day, source health (src/web/views/charts). Colours come from the theme, so dark mode holds. */
figure.chart { margin:.6rem 0 1.2rem; } .chart-scroll { overflow-x:auto; }
svg text { font:12px system-ui,-apple-system,"Segoe UI",sans-serif; }
svg .axis-label { fill:var(--fg); font-weight:600; } svg .axis-note { fill:var(--muted); font-size:11px; } svg .axis { stroke:var(--line); }
svg .cell-label { fill:var(--fg); } svg .cell-label.on-dark { fill:var(--bg); font-weight:600; }
svg rect.heat { fill:var(--link); stroke:var(--line); } svg a:focus rect.heat, svg a:hover rect.heat { stroke:var(--fg); stroke-width:2; }
.heat-1 { fill-opacity:.12; } .heat-2 { fill-opacity:.3; } .heat-3 { fill-opacity:.5; } .heat-4 { fill-opacity:.72; } .heat-5 { fill-opacity:.92; }
.sev-fill-CRITICAL { fill:var(--critical); } .sev-fill-HIGH { fill:var(--high); } .sev-fill-MEDIUM { fill:var(--medium); }
.sev-fill-LOW { fill:var(--low); } .sev-fill-INFORMATIONAL { fill:var(--info); }
ul.legend { list-style:none; display:flex; flex-wrap:wrap; gap:.8rem; padding:0; margin:.3rem 0; font-size:.85rem; }
svg .bar-track { fill:var(--card); stroke:var(--line); }
svg .health-ok { fill:var(--low); } svg .health-failing { fill:var(--critical); } svg .health-never { fill:var(--medium); } svg .health-disabled { fill:var(--info); }
table.chart-table { font-size:.85rem; }
`;

/**
 * The page icon, linked from every page: without one a browser asks for /favicon.ico, and the 404 it gets is a console error
 * on every first visit, noise that would hide a real one in the browser tests.
 */
export const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 4 7v8c0 7.5 5.1 13.4 12 15 6.9-1.6 12-7.5 12-15V7z" fill="#0b5cad"/><path d="m10 16 4 4 8-9" fill="none" stroke="#fff" stroke-width="3"/></svg>`;
