/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** The read-only profile page (/profile) and its JSON (/api/profile): the loaded team profile and what it drives. */
import type { Hono } from 'hono';
import { lackedTools, type Profile, productRef } from '../../config/profile.js';
import type { Regulation } from '../../knowledge/kb-schema.js';
import type { Kb } from '../../knowledge/load-kb.js';
import { unitText as dueText } from '../../enrich/deadlines.js';
import { regimeInScope, within } from '../../enrich/regimes.js';
import { missionWellbeing } from '../../score/ssvc.js';
import { Layout } from '../views/layout.js';

export interface ProfileRouteOptions {
  readonly profile: Profile | null;
  /** The profile file's name, as items record it. */
  readonly profileName: string | null;
  readonly kb: () => Kb;
}


/** The clocks the profile's jurisdictions and regimes switch on; data-type and incident-type conditions are left to each item. */
function clocksFor(profile: Profile, regulations: readonly Regulation[]): { regulation: Regulation; onlyWhen: string }[] {
  return regulations
    .filter((r) => (!r.when.jurisdictions || within(profile.jurisdictions, r.when.jurisdictions)) && (!r.when.regimes || r.when.regimes.some((g) => profile.regimes.includes(g))))
    .map((r) => {
      const conditions = [
        r.when.dataTypes ? `${r.when.dataTypes.join(' or ')} exposed` : null,
        r.when.archetypes ? `a ${r.when.archetypes.join(' or ')} event` : null,
        r.affected?.min ? `${r.affected.min} or more affected` : null,
        r.affected?.max !== undefined ? `fewer than ${r.affected.max + 1} affected` : null,
      ].filter(Boolean);
      return { regulation: r, onlyWhen: conditions.length > 0 ? conditions.join(', ') : 'any incident' };
    });
}

export interface ProfileView {
  readonly name: string | null;
  readonly file: string | null;
  readonly profile: Profile | null;
  readonly products: { text: string; vendor: string | null; product: string; version: string | null }[];
  readonly lacks: string[];
  readonly missionWellbeing: { level: string; reason: string };
  readonly relevance: Record<string, number>;
  readonly regimes: { id: string; name: string; inScope: boolean }[];
  readonly clocks: { regime: string; citation: string; clock: string; onlyWhen: string }[];
}

export function profileView(options: ProfileRouteOptions): ProfileView {
  const kb = options.kb();
  const p = options.profile;
  const clockText = (r: Regulation) => `${dueText(r.clock.amount, r.clock.unit)}${r.clock.after ? ` after ${r.clock.after}` : r.clock.from === 'discovery-year-end' ? ' after the end of the year of discovery' : ''}`;
  return {
    name: p?.name ?? null,
    file: options.profileName,
    profile: p,
    products: (p?.products ?? []).map(productRef),
    lacks: p ? lackedTools(p) : [],
    missionWellbeing: missionWellbeing(p, kb.ssvc),
    relevance: { ...kb.priority.values.relevance },
    regimes: kb.regimes.map((r) => ({
      id: r.id, name: r.name,
      inScope: p ? regimeInScope(r, p) : false,
    })),
    clocks: p ? clocksFor(p, kb.regulations).map(({ regulation: r, onlyWhen }) => ({ regime: r.regime, citation: r.citation, clock: clockText(r), onlyWhen })) : [],
  };
}

const list = (xs: readonly string[] | undefined, none: string) => (xs && xs.length > 0 ? xs.join(', ') : <span class="muted">{none}</span>);

function ProfilePage(props: { view: ProfileView }) {
  const v = props.view;
  const p = v.profile;
  return (
    <Layout title="Team profile">
      <h1>Team profile</h1>
      {!p ? (
        <p>No profile is loaded, so relevance is neutral ({v.relevance.noProfile}) and no regime or jurisdiction clock is switched on. Start Vigil with <code>--profile FILE</code> or <code>VIGIL_PROFILE=FILE</code> (YAML or JSON) to set one.</p>
      ) : (
        <>
          <p class="muted">Read from <code>{v.file ?? 'the profile file'}</code>. This page is read-only: edit the file and restart to change it.</p>
          <table>
            <tbody>
              <tr><th>Organisation</th><td>{v.name ?? <span class="muted">not named</span>}</td></tr>
              <tr><th>Sectors</th><td>{list(p.sectors, 'none')}</td></tr>
              <tr><th>Jurisdictions</th><td>{list(p.jurisdictions, 'none')}</td></tr>
              <tr><th>Regimes declared</th><td>{list(p.regimes, 'none')}</td></tr>
              <tr><th>Vendors and SaaS in use</th><td>{list(p.vendors, 'none')}</td></tr>
              <tr><th>Internet-facing assets</th><td>{list(p.internetFacing, 'none')}</td></tr>
              <tr><th>Tools the team has</th><td>{list(p.tools, 'none')}</td></tr>
              <tr><th>Tools the team lacks</th><td>{list(v.lacks, 'none')}</td></tr>
              <tr><th>Identity tenant</th><td>{p.tenant ?? <span class="muted">not set</span>}</td></tr>
              <tr><th>Team size</th><td>{p.teamSize ?? <span class="muted">not set</span>}</td></tr>
            </tbody>
          </table>
          <h2>Products</h2>
          {v.products.length === 0 ? <p class="muted">No products listed.</p> : (
            <table>
              <thead><tr><th>As written</th><th>Vendor</th><th>Product</th><th>Version</th></tr></thead>
              <tbody>{v.products.map((r) => <tr><td><code>{r.text}</code></td><td>{r.vendor ?? '-'}</td><td>{r.product}</td><td>{r.version ?? 'any'}</td></tr>)}</tbody>
            </table>
          )}
        </>
      )}
      <h2>What it drives</h2>
      <h3>Relevance ("affects us")</h3>
      <p>The relevance factor of each item's priority (kb/priority.yaml):</p>
      <table>
        <thead><tr><th>When the item involves</th><th>Value</th></tr></thead>
        <tbody>
          <tr><td>an internet-facing asset of the profile</td><td class="num">{v.relevance.internetFacing}</td></tr>
          <tr><td>a product of the profile</td><td class="num">{v.relevance.product}</td></tr>
          <tr><td>a vendor or SaaS in use</td><td class="num">{v.relevance.vendor}</td></tr>
          <tr><td>the profile's sector only</td><td class="num">{v.relevance.sector}</td></tr>
          <tr><td>nothing of the profile</td><td class="num">{v.relevance.none}</td></tr>
        </tbody>
      </table>
      <h3>SSVC</h3>
      <p>{v.missionWellbeing.reason}: the Mission and Well-being point of every SSVC decision (kb/ssvc.yaml).</p>
      <h3>Regimes</h3>
      <table>
        <thead><tr><th>Regime</th><th>In scope for this profile</th></tr></thead>
        <tbody>{v.regimes.map((r) => <tr><td>{r.name}</td><td>{r.inScope ? 'yes' : 'no'}</td></tr>)}</tbody>
      </table>
      <h3>Regulatory clocks switched on</h3>
      {v.clocks.length === 0 ? <p class="muted">None: the profile's jurisdictions and regimes switch on no clock. Clocks without such conditions (HIPAA, PCI DSS) still follow the data an item exposes.</p> : (
        <table>
          <thead><tr><th>Regime</th><th>Citation</th><th>Clock</th><th>Only when</th></tr></thead>
          <tbody>{v.clocks.map((c) => <tr><td>{c.regime}</td><td>{c.citation}</td><td>{c.clock}</td><td>{c.onlyWhen}</td></tr>)}</tbody>
        </table>
      )}
      <h3>Controls</h3>
      <p>{v.lacks.length > 0 ? `Steps show compensating controls for the tools the team lacks: ${v.lacks.join(', ')}.` : p ? 'The team has every enterprise tool Vigil knows, so steps show the tool-based controls.' : 'Without a profile, every step shows its compensating control.'}</p>
    </Layout>
  );
}

export function profileRoutes(app: Hono<any>, options: ProfileRouteOptions): void {
  app.get('/profile', async (c) => c.html(`<!doctype html>${await (<ProfilePage view={profileView(options)} />)}`));
  app.get('/api/profile', (c) => c.json(profileView(options)));
}
