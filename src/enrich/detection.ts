/** Detection guidance: whether indicators exist, behavioural focus per technique, starter queries and an IOC hunt, with a confidence statement. */
import type { Detection, Ioc, TechniqueRow } from '../domain/index.js';
import { type Catalogs, NO_CATALOGS } from '../knowledge/catalogs.js';
import type { Kb } from '../knowledge/load-kb.js';
import { hostOf } from './iocs.js';

const quote = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;

/** A hunt over the item's own indicators, for a team that has only its logs and a shell. */
function iocHunts(iocs: readonly Ioc[], since: string): Detection['content'] {
  const active = iocs.filter((i) => !i.benign);
  // URL and sender hosts are hunted too: DNS and proxy logs see the host, not the full URL.
  const hosts = [...new Set(active.map(hostOf).filter((h): h is string => !!h && !/^[\d.]+$|:/.test(h)))];
  const ips = active.filter((i) => i.type === 'ipv4' || i.type === 'ipv6').map((i) => i.value);
  const byAlgorithm = (['md5', 'sha1', 'sha256'] as const).map((a) => [a, active.filter((i) => i.type === a).map((i) => i.value)] as const).filter(([, v]) => v.length > 0);
  const out: Detection['content'] = [];
  const needles = [...hosts, ...ips];
  if (needles.length > 0) {
    out.push({
      title: 'Search web proxy, DNS and firewall logs for the indicators (shell)',
      language: 'shell',
      body: `printf '%s\\n' ${needles.map((n) => `'${n}'`).join(' ')} > vigil-iocs.txt\ngrep -rFf vigil-iocs.txt /var/log/nginx /var/log/squid /var/log/syslog 2>/dev/null | tee vigil-ioc-hits.txt`,
    });
    const where = [ips.length > 0 ? `RemoteIP in (${ips.map(quote).join(', ')})` : null, hosts.length > 0 ? `RemoteUrl has_any (${hosts.map(quote).join(', ')})` : null].filter(Boolean).join(' or ');
    out.push({
      title: `Network connections to the indicators since ${since} (KQL, Microsoft Defender)`,
      language: 'kql',
      body: `DeviceNetworkEvents\n| where Timestamp >= datetime(${since})\n| where ${where}\n| project Timestamp, DeviceName, InitiatingProcessFileName, RemoteIP, RemoteUrl`,
    });
  }
  for (const [algorithm, hashes] of byAlgorithm) {
    out.push({
      title: `Files matching the published ${algorithm.toUpperCase()} hashes (PowerShell, one Windows host)`,
      language: 'powershell',
      body: `$iocs = @(${hashes.map((h) => `'${h}'`).join(', ')})\nGet-ChildItem -Path C:\\Users,C:\\ProgramData,C:\\Windows\\Temp -Recurse -File -ErrorAction SilentlyContinue |\n  Get-FileHash -Algorithm ${algorithm.toUpperCase()} | Where-Object { $iocs -contains $_.Hash.ToLower() }`,
    });
    out.push({
      title: `Files matching the published ${algorithm.toUpperCase()} hashes (shell, one Linux or macOS host)`,
      language: 'shell',
      body: `printf '%s\\n' ${hashes.map((h) => `'${h}'`).join(' ')} > vigil-${algorithm}.txt\nfind / -xdev -type f -size -200M -print0 2>/dev/null | xargs -0 ${algorithm}sum 2>/dev/null | grep -Ff vigil-${algorithm}.txt`,
    });
  }
  return out;
}

type Focus = Detection['focus'][number];

/** ATT&CK's own detection data for a technique (strategies, data components, log sources), when the imported catalog has it. */
function attackDetection(catalogs: Catalogs, id: string): Pick<Focus, 'strategies' | 'dataComponents'> & { logSources: string[] } {
  const d = catalogs.technique(id)?.detection;
  return {
    strategies: (d?.strategies ?? []).map((x) => ({ id: x.id, title: x.name })),
    dataComponents: (d?.dataComponents ?? []).map((x) => ({ id: x.id, title: x.name })),
    logSources: (d?.logSources ?? []).map((l) => (l.channel ? `${l.name} (${l.channel})` : l.name)),
  };
}

/**
 * Per technique: our curated focus, log sources, artifacts and starter queries (kb/techniques.yaml), joined with
 * ATT&CK's detection strategies and data components where the imported catalog carries them. A technique only
 * the catalog knows gets a focus entry from the catalog alone.
 */
function techniqueFocus(kb: Kb, catalogs: Catalogs, attack: readonly TechniqueRow[], content: Detection['content']): Focus[] {
  const focus: Focus[] = [];
  for (const row of attack) {
    const t = kb.techniques.get(row.id) ?? kb.techniques.get(row.id.split('.')[0]);
    const id = t?.id ?? row.id;
    if (focus.some((f) => f.technique?.startsWith(`${id} `))) continue;
    const fromAttack = attackDetection(catalogs, row.id);
    if (t) {
      const logSources = [...t.logSources, ...fromAttack.logSources.filter((l) => !t.logSources.includes(l))];
      focus.push({ technique: `${t.id} ${t.name}`, text: t.focus, logSources, artifacts: [...(t.artifacts ?? [])], strategies: fromAttack.strategies, dataComponents: fromAttack.dataComponents });
      for (const q of t.queries ?? []) if (content.length < 8) content.push({ title: `${t.id}: ${q.title}`, language: q.language, body: q.body });
    } else if (fromAttack.strategies.length > 0 || fromAttack.dataComponents.length > 0) {
      const components = fromAttack.dataComponents.map((c) => c.title);
      focus.push({
        technique: `${row.id} ${row.name}`,
        text: `ATT&CK's detection strategies for this technique: ${fromAttack.strategies.map((x) => x.title).join('; ') || 'none listed'}.${components.length > 0 ? ` Collect: ${components.join(', ')}.` : ''}`,
        logSources: fromAttack.logSources,
        artifacts: [],
        strategies: fromAttack.strategies,
        dataComponents: fromAttack.dataComponents,
      });
    }
  }
  return focus;
}

/** `since`: the start of the hunting window (the event window with margin, else 30 days before disclosure). */
export function detection(kb: Kb, attack: readonly TechniqueRow[], iocs: readonly Ioc[], asOf: string, since: string, catalogs: Catalogs = NO_CATALOGS): Detection {
  const active = iocs.filter((i) => !i.benign);
  const content: Detection['content'] = iocHunts(iocs, since);
  const focus = techniqueFocus(kb, catalogs, attack, content);
  const observed = attack.filter((a) => a.basis === 'observed').length;
  const statement = active.length > 0
    ? `${active.length} indicator${active.length === 1 ? '' : 's'} from the reporting can be searched for now (see the IOC table).`
    : `No indicators of compromise have been published as of ${asOf}; hunt on behaviour until they are.`;
  const confidence = active.some((i) => i.confidence === 'high') && observed > 0
    ? 'Moderate: published indicators and described behaviour give concrete hunts, but indicators age quickly and attackers rotate infrastructure.'
    : observed > 0
      ? 'Low to moderate: the behaviour is described but without indicators; expect false positives and tune to your environment.'
      : 'Low: the focus areas follow from the incident type, not from observed activity; treat them as hunting hypotheses.';
  return { indicatorsAvailable: active.length > 0, statement, focus, content, confidence };
}
