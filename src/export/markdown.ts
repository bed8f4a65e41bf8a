/** The Markdown brief of an item: the ITEM.md sections in order, with text escaped for Markdown. */
import type { Item } from '../domain/index.js';

/** Markdown has no raw-HTML-off switch: escape the characters that start markup or HTML. */
export function md(text: string): string {
  return text.replace(/([\\`*_[\]<>|#])/g, '\\$1').replace(/\n/g, ' ');
}
/**
 * A code span that holds `text` literally (an IOC may carry backticks): fenced by one backtick more than its longest run of
 * them (CommonMark), padded when it starts or ends with one; pipes are escaped because the IOC table's cells hold it (GFM).
 */
export function code(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = /^`|`$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')}${pad}${fence}`;
}
const fence = (text: string, lang = '') => `\`\`\`${lang}\n${text.replace(/```/g, "'''")}\n\`\`\``;

export function itemToMarkdown(item: Item): string {
  const out: string[] = [];
  const cvss = item.cvss;
  out.push(`# ${md(item.title)}${item.example ? ' (example)' : ''}`, '');
  out.push(`- **Severity:** ${item.severity.level}: ${md(item.severity.reason)}`);
  out.push(cvss.kind === 'computed'
    ? `- **CVSS:** ${cvss.baseScore.toFixed(1)} (CVSS ${cvss.version}, ${code(cvss.vector)})`
    : `- **CVSS:** ${cvss.baseScore.toFixed(1)} *estimated*: ${md(cvss.reason)}`);
  if (item.vulnerabilities.length === 0) out.push('- **EPSS / KEV:** no CVE is cited, so EPSS and KEV do not apply.');
  for (const v of item.vulnerabilities) {
    out.push(`- **${v.cve}:** ${v.epss ? `EPSS ${v.epss.probability.toFixed(3)} (percentile ${v.epss.percentile.toFixed(3)}); ` : ''}${v.kev ? `KEV since ${v.kev.dateAdded}, due ${v.kev.dueDate ?? 'n/a'}; ` : ''}${md(v.note)}`);
  }
  out.push(`- **Priority:** ${item.priority.value.toFixed(3)}`);
  for (const f of item.priority.factors) out.push(`  - ${md(f.label)}: ${f.weight.toFixed(2)} × ${f.value.toFixed(3)} = ${f.contribution.toFixed(3)} (${md(f.reason)})`);
  out.push(`- **Archetype:** ${md(item.archetype.label)}${item.sector ? `; sector ${md(item.sector.label)}` : ''}`);
  out.push(`- **First reported:** ${item.firstReported ?? 'unknown'}; **last updated:** ${item.lastUpdated ?? 'unknown'}; **as of:** ${item.asOf}`);
  out.push('- **Sources:**');
  for (const s of item.sources) out.push(`  - ${md(s.outlet)}: ${md(s.title)}${s.url ? ` <${s.url.replace(/[<>\s]/g, encodeURIComponent)}>` : ''} (${s.published ?? 'time unknown'})`);
  if (item.facts.advisories.length > 0) out.push(`- **Advisories cited:** ${item.facts.advisories.map((a) => `${md(a.id)} (${md(a.label)})`).join('; ')}`);
  if (item.timeline.length > 1) {
    out.push('- **Timeline:**');
    for (const e of item.timeline) out.push(`  - ${e.at.slice(0, 16).replace('T', ' ')} ${e.kind}${e.outlet ? `, ${md(e.outlet)}` : ''}${e.title ? `: ${md(e.title)}` : ''} (${md(e.note)})`);
  }
  out.push('', '## Executive summary', '', md(item.summary.join(' ')));
  out.push('', '## Technical analysis', '');
  for (const a of item.analysis) out.push(`- **${md(a.topic)}** [${md(a.status)}${a.asOf ? `, as of ${a.asOf}` : ''}]: ${md(a.statement)}`);
  out.push('', '## Action checklist', '', `**Triage priority: ${item.triage.level}.** ${md(item.triage.rationale)}`, '', '**Escalation criteria**', '');
  if (item.triage.escalation.length === 0) out.push('No escalation criteria apply.');
  for (const e of item.triage.escalation) out.push(`- ${md(e.condition)} Notify: ${md(e.notify.join(', '))}.`);
  out.push('', '**Regulatory deadlines**', '');
  if (item.triage.deadlines.length === 0) out.push(`No regulatory clock is triggered by the facts and your profile as of ${item.asOf}.`);
  for (const d of item.triage.deadlines) out.push(`- ${md(d.regime)}: due **${d.due}** (${md(d.citation)}). ${md(d.trigger)} ${md(d.note)}`);
  if (item.checklist.length === 0) out.push('', 'No action checklist: this document describes no security event.');
  for (const [i, s] of item.checklist.entries()) {
    out.push('', `### ${i + 1}. ${s.phaseLabel}: ${md(s.title)}`, '', md(s.action), '');
    out.push(`- Framework: ${md(s.sp80061r3)}; CSF 2.0 ${s.csf.map((c) => c.id).join(', ')}`);
    out.push(`- NIST SP 800-53r5: ${s.controls.map((c) => `${c.id} ${md(c.title)}`).join('; ')}`);
    out.push(`- CIS Controls v8: ${s.cis.map((c) => `${c.id} ${md(c.title)}`).join('; ')}`);
    if (s.shown === 'standard') out.push('', `**Standard control (${s.tool})**`, '', md(s.standard ?? ''));
    else {
      out.push('', `**Compensating control${s.tool ? ` (without ${s.tool})` : ''}**`, '', fence(s.compensating));
      for (const c of s.compensatingControls) out.push('', `*${md(c.stackLabel)}: ${md(c.title)}*`, '', fence(c.body, c.language));
    }
    out.push('', '**Preserve evidence**', '');
    for (const p of s.preserveEvidence) out.push(`- ${md(p)}`);
  }
  out.push('', '## Recovery guidance', '', ...item.recovery.map((r) => `${md(r)}\n`));
  out.push('## Key forensic artifacts', '');
  if (item.artifacts.length === 0) out.push('None: no security event is described.');
  for (const a of item.artifacts) out.push(`- **${md(a.artifact)}** (${md(a.location)}; ${md(a.window)}): ${md(a.indicates)}`);
  out.push('', '## Detection guidance', '', md(item.detection.statement), '');
  for (const f of item.detection.focus) {
    const extra = [
      f.artifacts.length > 0 ? ` Artifacts: ${md(f.artifacts.join('; '))}.` : '',
      f.strategies.length > 0 ? ` ATT&CK detection strategies: ${md(f.strategies.map((x) => `${x.id} ${x.title}`).join('; '))}.` : '',
      f.dataComponents.length > 0 ? ` Data components: ${md(f.dataComponents.map((x) => `${x.id} ${x.title}`).join('; '))}.` : '',
    ].join('');
    out.push(`- **${md(f.technique ?? 'General')}**: ${md(f.text)} Log sources: ${md(f.logSources.join(', '))}.${extra}`);
  }
  for (const c of item.detection.content) out.push('', `**${md(c.title)}**`, '', fence(c.body, c.language));
  out.push('', `Confidence: ${md(item.detection.confidence)}`);
  out.push('', '## Indicators of compromise', '');
  if (item.iocs.length === 0) out.push(`No indicators published as of ${item.asOf}.`);
  else out.push('| Type | Value | Confidence | Context |', '|---|---|---|---|');
  for (const i of item.iocs) out.push(`| ${i.type} | ${code(i.display)}${i.benign ? ` (benign: ${md(i.benignReason ?? '')})` : ''} | ${i.confidence} | ${md(i.context)} |`);
  out.push('', '## Compliance framework mappings', '');
  if (item.mappings.length === 0) out.push('No framework applies: no technique, control or regulated data is involved.');
  for (const g of item.mappings) out.push(`- **${md(g.framework)}:** ${g.entries.map((e) => `${e.id} ${md(e.title)}`).join('; ')}`);
  out.push('', '## MITRE ATT&CK mapping', '');
  if (item.attack.length === 0) out.push('No technique applies.');
  else out.push('| Technique | Name | Tactic | Basis |', '|---|---|---|---|');
  for (const t of item.attack) out.push(`| ${t.id} | ${md(t.name)} | ${md(t.tactics.map((x) => x.name).join(', '))} | ${t.basis} |`);
  out.push('', '## Guidance disclaimer', '', md(item.disclaimer), '');
  return out.join('\n');
}
