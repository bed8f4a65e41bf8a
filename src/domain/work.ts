/** The team's work on an item: checklist step state, the evidence register, analyst verdicts, the false-positive list and the audit log. */
import type { IocType } from './ioc.js';

/** A checklist step's state, keyed by item id and the step's stable key (`phase:step-id` from kb/steps), so it survives re-enrichment. */
export interface StepState {
  readonly itemId: string;
  readonly stepKey: string;
  readonly done: boolean;
  readonly doneBy: string | null;
  readonly doneAt: string | null;
  readonly assignee: string | null;
  readonly note: string | null;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** What an analyst changes on a step; a field left out is kept as it is. */
export interface StepChange {
  readonly done?: boolean;
  readonly assignee?: string | null;
  readonly note?: string | null;
}

export interface EvidenceInput {
  readonly fileName: string;
  /** 64 lower-case hex digits. */
  readonly sha256: string;
  /** Where the file is kept (a write-once share, a ticket, a case folder). */
  readonly storedAt: string;
  readonly note: string | null;
}

export interface EvidenceEntry extends EvidenceInput {
  readonly id: number;
  readonly itemId: string;
  readonly addedBy: string;
  readonly addedAt: string;
}

export const VERDICTS = ['confirmed', 'rejected'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface TechniqueVerdict {
  readonly itemId: string;
  readonly techniqueId: string;
  readonly verdict: Verdict;
  readonly reason: string | null;
  readonly by: string;
  readonly at: string;
}

export interface IocVerdict {
  readonly itemId: string;
  readonly type: IocType;
  readonly value: string;
  readonly verdict: Verdict;
  readonly reason: string | null;
  /** A rejection as a false positive: the value also goes on the persistent false-positive list. */
  readonly falsePositive: boolean;
  readonly by: string;
  readonly at: string;
}

/** An IOC value the analysts found benign: every item enriched afterwards keeps it but marks it benign, with this reason. */
export interface FalsePositive {
  readonly type: IocType;
  readonly value: string;
  readonly reason: string;
  readonly addedBy: string;
  readonly addedAt: string;
  /** The item it was rejected on, when it was rejected on one. */
  readonly itemId: string | null;
}

/** Who makes a change, and when: what every audit row records of its author. */
export interface Audited {
  readonly actor: string;
  readonly at: string;
}

/** One action, append-only: who, when, what, on which item (none for accounts and tokens), and the value before and after. */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly itemId: string | null;
  /** What the action was on: a step key, a technique id, "ipv4 203.0.113.7", an evidence row. */
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditQuery {
  readonly itemId?: string;
  readonly limit: number;
  readonly offset: number;
}

/** Everything the team has recorded on one item, as the item page and `GET /api/items/:id/work` show it. */
export interface ItemWork {
  readonly steps: readonly StepState[];
  readonly evidence: readonly EvidenceEntry[];
  readonly techniques: readonly TechniqueVerdict[];
  readonly iocs: readonly IocVerdict[];
}
