/** Detection guidance: whether indicators exist, behavioural focus per technique, starter queries and an IOC hunt, with a confidence statement. */
import type { Detection, Ioc, TechniqueRow } from '../domain/index.js';
import type { Kb } from '../knowledge/load-kb.js';

const quote = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;

/** A hunt over the item's own indicators, for a team that has only its logs and a shell. */
function iocHunts(iocs: readonly Ioc[]): Detection['content'] {
  const active = iocs.filter((i) => !i.benign);
  const hosts = active.filter((i) => i.type === 'domain').map((i) => i.value);
  const ips = active.filter((i) => i.type === 'ipv4' || i.type === 'ipv6').map((i) => i.value);
  const hashes = active.filter((i) => ['md5', 'sha1', 'sha256'].includes(i.type)).map((i) => i.value);
  const out: Detection['content'] = [];
  const needles = [...hosts, ...ips];
  if (needles.length > 0) {
    out.push({
      title: 'Search web proxy, DNS and firewall logs for the indicators (shell)',
      language: 'shell',
      body: `printf '%s\\n' ${needles.map((n) => `'${n}'`).join(' ')} > vigil-iocs.txt\ngrep -rFf vigil-iocs.txt /var/log/nginx /var/log/squid /var/log/syslog 2>/dev/null | tee vigil-ioc-hits.txt`,
    });
    out.push({
      title: 'Network connections to the indicators (KQL, Microsoft Defender)',
      language: 'kql',
      body: `DeviceNetworkEvents\n| where Timestamp > ago(30d)\n| where RemoteIP in (${ips.map(quote).join(', ') || '""'}) or RemoteUrl has_any (${hosts.map(quote).join(', ') || '""'})\n| project Timestamp, DeviceName, InitiatingProcessFileName, RemoteIP, RemoteUrl`,
    });
  }
  if (hashes.length > 0) {
    out.push({
      title: 'Files matching the published hashes (PowerShell, one host)',
      language: 'powershell',
      body: `$iocs = @(${hashes.map((h) => `'${h}'`).join(', ')})\nGet-ChildItem -Path C:\\Users,C:\\ProgramData,C:\\Windows\\Temp -Recurse -File -ErrorAction SilentlyContinue |\n  Get-FileHash -Algorithm SHA256 | Where-Object { $iocs -contains $_.Hash.ToLower() }`,
    });
  }
  return out;
}

export function detection(kb: Kb, attack: readonly TechniqueRow[], iocs: readonly Ioc[], asOf: string): Detection {
  const active = iocs.filter((i) => !i.benign);
  const focus: Detection['focus'] = [];
  const content: Detection['content'] = iocHunts(iocs);
  for (const row of attack) {
    const t = kb.techniques.get(row.id) ?? kb.techniques.get(row.id.split('.')[0]);
    if (!t || focus.some((f) => f.technique === t.id)) continue;
    focus.push({ technique: `${t.id} ${t.name}`, text: t.focus, logSources: [...t.logSources] });
    for (const q of t.queries ?? []) if (content.length < 8) content.push({ title: `${t.id}: ${q.title}`, language: q.language, body: q.body });
  }
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
