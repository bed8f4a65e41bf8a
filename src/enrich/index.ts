/** Enrichment: facts, scores and the kb become an IR-ready Item with every section of ITEM.md. */
import { createHash } from 'node:crypto';
import type { Document, Facts, Item, TimelineEvent } from '../domain/index.js';
import type { FalsePositive } from '../domain/work.js';
import { ITEM_SCHEMA_VERSION } from '../domain/index.js';
import type { Profile } from '../config/profile.js';
import { classifyArchetype, classifySector, NO_EVENT_ID } from '../extract/classify.js';
import { splitSentences } from '../extract/index.js';
import { itemText } from '../extract/merge-facts.js';
import type { Catalogs } from '../knowledge/catalogs.js';
import type { Kb } from '../knowledge/load-kb.js';
import { fillTemplate } from '../knowledge/template.js';
import { assessSeverity, headlineCvss, missionWellbeing, prioritise, publishedVectors, scoreVectors, vulnerabilities } from '../score/index.js';
import { inferTechniques } from '../techniques/infer.js';
import type { TechniqueModel } from '../techniques/model.js';
import { attackTable } from './attack.js';
import { checklist } from './checklist.js';
import type { ConditionSubject } from './conditions.js';
import { holds } from './conditions.js';
import { eventContext, templateValues } from './context.js';
import { deadlines } from './deadlines.js';
import { detection } from './detection.js';
import { iocTable } from './iocs.js';
import { mappings } from './mappings.js';
import { executiveSummary, technicalAnalysis } from './narrative.js';
import { COMPOSED } from './rewrite.js';
import { triage } from './triage.js';

export const PIPELINE_VERSION = '0.1.0';

export interface EnrichInput {
  readonly documents: readonly Document[];
  readonly facts: Facts;
  readonly kb: Kb;
  readonly catalogs: Catalogs;
  readonly profile: Profile | null;
  readonly profileName: string | null;
  /** The analysis date (YYYY-MM-DD) and the clock time recorded as enrichedAt: passed in, never read here. */
  readonly asOf: string;
  readonly now: string;
  /** The item's stable id, once it has one; a new item is named after its first report. */
  readonly id?: string;
  readonly timeline?: readonly TimelineEvent[];
  /** The analysts' false-positive list (Store.falsePositives()): listed IOC values are kept but marked benign. */
  readonly falsePositives?: readonly FalsePositive[];
  /** The technique model trained at kb import (src/techniques); without one, only written ids and kb phrases map ATT&CK. */
  readonly techniqueModel?: TechniqueModel | null;
}

export function itemIdFor(documents: readonly Document[]): string {
  const first = [...documents].sort((a, b) => a.id.localeCompare(b.id))[0];
  return `itm_${createHash('sha256').update(first.id).digest('hex').slice(0, 16)}`;
}

export function enrich(input: EnrichInput): Item {
  const { documents, facts, kb, catalogs, profile, asOf } = input;
  const primary = documents[0];
  const archetype = classifyArchetype(facts, kb);
  const playbook = kb.archetypes.find((a) => a.id === archetype.id);
  const sector = classifySector(facts, kb);
  const sentences = splitSentences(itemText(documents));
  const iocs = iocTable(facts, documents, sentences, kb.benignDomains, catalogs, input.falsePositives);
  const ctx = eventContext(facts, documents, asOf, iocs.filter((i) => i.benign).length);
  const values = templateValues(ctx, profile);
  const inferred = input.techniqueModel ? inferTechniques(input.techniqueModel, itemText(documents), sentences) : [];
  const attack = attackTable(facts, playbook, kb, catalogs, inferred);
  const subject: ConditionSubject = {
    facts, archetype: archetype.id, sector: sector?.id ?? null, profile,
    iocCount: iocs.filter((i) => !i.benign).length, hasVendor: ctx.vendor !== null,
    techniques: attack.filter((t) => t.basis === 'observed').map((t) => t.id),
    iocTypes: [...new Set(iocs.filter((i) => !i.benign).map((i) => i.type))],
    names: [...facts.organisations.filter((o) => o.role === 'vendor').map((o) => o.name), ...ctx.products],
    kev: facts.cves.some((c) => catalogs.kev(c.id) !== null) || facts.statuses.some((s) => s.id === 'kev-listed'),
  };
  const fromText = scoreVectors(facts);
  const computed = [...fromText.computed, ...publishedVectors(facts, fromText.computed, catalogs)];
  const { rejected } = fromText;
  const severity = assessSeverity(facts, archetype, kb, computed);
  const cvss = headlineCvss(severity, computed, rejected, kb);
  const vulns = vulnerabilities(facts, computed, catalogs, asOf, { rules: kb.ssvc, missionWellbeing: missionWellbeing(profile, kb.ssvc) });
  const published = documents.map((d) => d.published).filter((p): p is string => !!p).sort();
  const priority = prioritise({
    facts, severity, vulnerabilities: vulns, sources: documents,
    lastUpdated: published[published.length - 1] ?? null, asOf, profile, sector: sector?.id ?? null,
    eventIsIncident: !!playbook && !/vulnerab/.test(playbook.id),
    text: documents.map((d) => `${d.title}\n${d.text}`).join('\n').toLowerCase(),
  }, kb);
  const steps = playbook ? checklist(kb, playbook, subject, values) : [];
  const clocks = playbook ? deadlines(kb, subject, ctx) : [];
  const fill = (t: string) => fillTemplate(t, values);
  const narrative = { facts, ctx, values, archetype, playbook, severity, cvss, vulnerabilities: vulns, attack, kb, sector: sector?.id ?? null, profile };
  return {
    schema: ITEM_SCHEMA_VERSION,
    id: input.id ?? itemIdFor(documents),
    title: primary.title,
    example: documents.every((d) => d.example),
    asOf,
    firstReported: published[0] ?? null,
    lastUpdated: published[published.length - 1] ?? null,
    sources: documents.map((d) => ({ documentId: d.id, outlet: d.outlet, title: d.title, url: d.url, published: d.published })),
    timeline: [...(input.timeline ?? [])],
    archetype,
    sector: archetype.id === NO_EVENT_ID ? null : sector,
    severity,
    cvss,
    vulnerabilities: vulns,
    priority,
    summary: executiveSummary(narrative),
    analysis: technicalAnalysis(narrative),
    triage: playbook
      ? triage(kb, playbook, severity, priority, subject, values, clocks)
      : { level: 'ROUTINE', rationale: 'No security event: nothing to triage.', escalation: [], deadlines: [] },
    checklist: steps,
    recovery: playbook ? playbook.recovery.map(fill) : [`No recovery is needed: the document describes no security event (as of ${asOf}).`],
    artifacts: playbook ? playbook.artifacts.filter((a) => holds(a.when, subject)).map((a) => ({ artifact: a.artifact, location: a.location, window: fill(a.window), indicates: fill(a.indicates) })) : [],
    detection: detection(kb, attack, iocs, asOf, values.lookbackStart, catalogs),
    iocs,
    mappings: mappings(facts, attack, steps, kb, catalogs, subject),
    attack,
    disclaimer: kb.meta.disclaimer,
    facts,
    enrichment: {
      pipelineVersion: PIPELINE_VERSION,
      knowledgeVersion: kb.version,
      catalogs: { ...catalogs.versions },
      enrichedAt: input.now,
      profile: input.profileName,
      narrative: COMPOSED,
    },
  };
}

export { NO_EVENT_ID };
