/** The tables of the team's work on items (migration 0007_work), as Kysely types. */
import type { Generated } from 'kysely';

export interface StepStatesTable {
  item_id: string;
  step_key: string;
  done: number;
  done_by: string | null;
  done_at: string | null;
  assignee: string | null;
  note: string | null;
  updated_by: string;
  updated_at: string;
}

export interface EvidenceRegisterTable {
  id: Generated<number>;
  item_id: string;
  file_name: string;
  sha256: string;
  stored_at: string;
  note: string | null;
  added_by: string;
  added_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  item_id: string | null;
  target: string;
  before: string | null;
  after: string | null;
}

export interface TechniqueVerdictsTable {
  item_id: string;
  technique_id: string;
  verdict: string;
  reason: string | null;
  by: string;
  at: string;
}

export interface IocVerdictsTable {
  item_id: string;
  ioc_type: string;
  value: string;
  verdict: string;
  reason: string | null;
  false_positive: number;
  by: string;
  at: string;
}

export interface FalsePositivesTable {
  ioc_type: string;
  value: string;
  reason: string;
  added_by: string;
  added_at: string;
  item_id: string | null;
}

export interface WorkTables {
  step_states: StepStatesTable;
  evidence_register: EvidenceRegisterTable;
  audit_log: AuditLogTable;
  technique_verdicts: TechniqueVerdictsTable;
  ioc_verdicts: IocVerdictsTable;
  false_positives: FalsePositivesTable;
}
