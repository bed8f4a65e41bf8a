/** The Store's queries for the team's work on items; every change appends its audit row in the same transaction. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { IocType } from '../domain/ioc.js';
import type {
  Audited, AuditEntry, AuditQuery, EvidenceEntry, EvidenceInput, FalsePositive, IocVerdict, ItemWork, StepChange, StepState, TechniqueVerdict, Verdict,
} from '../domain/work.js';
import type { Engine } from './migrations.js';
import type { Database } from './schema.js';
import type { WorkTables } from './schema-work.js';

type Db = Kysely<Database> | Transaction<Database>;


function toStep(r: Selectable<WorkTables['step_states']>): StepState {
  return {
    itemId: r.item_id, stepKey: r.step_key, done: r.done === 1, doneBy: r.done_by, doneAt: r.done_at, assignee: r.assignee, note: r.note,
    updatedBy: r.updated_by, updatedAt: r.updated_at,
  };
}

function toEvidence(r: Selectable<WorkTables['evidence_register']>): EvidenceEntry {
  return {
    id: Number(r.id), itemId: r.item_id, fileName: r.file_name, sha256: r.sha256, storedAt: r.stored_at, note: r.note, addedBy: r.added_by,
    addedAt: r.added_at,
  };
}

function toTechniqueVerdict(r: Selectable<WorkTables['technique_verdicts']>): TechniqueVerdict {
  return { itemId: r.item_id, techniqueId: r.technique_id, verdict: r.verdict as Verdict, reason: r.reason, by: r.by, at: r.at };
}

function toIocVerdict(r: Selectable<WorkTables['ioc_verdicts']>): IocVerdict {
  return {
    itemId: r.item_id, type: r.ioc_type as IocType, value: r.value, verdict: r.verdict as Verdict, reason: r.reason,
    falsePositive: r.false_positive === 1, by: r.by, at: r.at,
  };
}

function toFalsePositive(r: Selectable<WorkTables['false_positives']>): FalsePositive {
  return { type: r.ioc_type as IocType, value: r.value, reason: r.reason, addedBy: r.added_by, addedAt: r.added_at, itemId: r.item_id };
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** Appends one row to the audit log; callers pass their transaction, so the row and the change commit together. */
export async function audit(db: Db, who: Audited, action: string, itemId: string | null, target: string, before: unknown, after: unknown): Promise<void> {
  await db.insertInto('audit_log').values({ at: who.at, actor: who.actor, action, item_id: itemId, target, before: json(before), after: json(after) }).execute();
}

/**
 * When stories merge, the team's work on the merged-away item moves with its reports: step states and verdicts the
 * kept item has not recorded itself, and every evidence row. The audit log keeps the ids as they were when it was written.
 */
export async function moveWork(tx: Transaction<Database>, from: string, to: string): Promise<void> {
  for (const r of await tx.selectFrom('step_states').selectAll().where('item_id', '=', from).execute()) {
    await tx.insertInto('step_states').values({ ...r, item_id: to }).onConflict((oc) => oc.columns(['item_id', 'step_key']).doNothing()).execute();
  }
  for (const r of await tx.selectFrom('technique_verdicts').selectAll().where('item_id', '=', from).execute()) {
    await tx.insertInto('technique_verdicts').values({ ...r, item_id: to }).onConflict((oc) => oc.columns(['item_id', 'technique_id']).doNothing()).execute();
  }
  for (const r of await tx.selectFrom('ioc_verdicts').selectAll().where('item_id', '=', from).execute()) {
    await tx.insertInto('ioc_verdicts').values({ ...r, item_id: to }).onConflict((oc) => oc.columns(['item_id', 'ioc_type', 'value']).doNothing()).execute();
  }
  for (const table of ['step_states', 'technique_verdicts', 'ioc_verdicts'] as const) await tx.deleteFrom(table).where('item_id', '=', from).execute();
  await tx.updateTable('evidence_register').set({ item_id: to }).where('item_id', '=', from).execute();
}

export class WorkQueries {
  readonly #db: Kysely<Database>;
  readonly #engine: Engine;

  constructor(db: Kysely<Database>, engine: Engine) {
    this.#db = db;
    this.#engine = engine;
  }

  async itemWork(itemId: string): Promise<ItemWork> {
    const [steps, evidence, techniques, iocs] = await Promise.all([
      this.#db.selectFrom('step_states').selectAll().where('item_id', '=', itemId).orderBy('step_key').execute(),
      this.listEvidence(itemId),
      this.#db.selectFrom('technique_verdicts').selectAll().where('item_id', '=', itemId).orderBy('technique_id').execute(),
      this.#db.selectFrom('ioc_verdicts').selectAll().where('item_id', '=', itemId).orderBy('ioc_type').orderBy('value').execute(),
    ]);
    return { steps: steps.map(toStep), evidence, techniques: techniques.map(toTechniqueVerdict), iocs: iocs.map(toIocVerdict) };
  }

  /** Applies the fields that differ, one audit row per field changed; null when the step has no state and nothing changed. */
  async updateStep(itemId: string, stepKey: string, change: StepChange, who: Audited): Promise<StepState | null> {
    return this.#db.transaction().execute(async (tx) => {
      let q = tx.selectFrom('step_states').selectAll().where('item_id', '=', itemId).where('step_key', '=', stepKey);
      if (this.#engine === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirst();
      const before = row ? toStep(row) : null;
      let next = before ?? { itemId, stepKey, done: false, doneBy: null, doneAt: null, assignee: null, note: null, updatedBy: who.actor, updatedAt: who.at };
      const target = stepKey;
      if (change.done !== undefined && change.done !== next.done) {
        const after = { done: change.done, doneBy: change.done ? who.actor : null, doneAt: change.done ? who.at : null };
        await audit(tx, who, change.done ? 'step.done' : 'step.undone', itemId, target, { done: next.done, doneBy: next.doneBy, doneAt: next.doneAt }, after);
        next = { ...next, ...after };
      }
      if (change.assignee !== undefined && change.assignee !== next.assignee) {
        await audit(tx, who, 'step.assign', itemId, target, { assignee: next.assignee }, { assignee: change.assignee });
        next = { ...next, assignee: change.assignee };
      }
      if (change.note !== undefined && change.note !== next.note) {
        await audit(tx, who, 'step.note', itemId, target, { note: next.note }, { note: change.note });
        next = { ...next, note: change.note };
      }
      if (next === before || (!before && next.done === false && next.assignee === null && next.note === null)) return before;
      next = { ...next, updatedBy: who.actor, updatedAt: who.at };
      const values = {
        done: next.done ? 1 : 0, done_by: next.doneBy, done_at: next.doneAt, assignee: next.assignee, note: next.note,
        updated_by: next.updatedBy, updated_at: next.updatedAt,
      };
      await tx.insertInto('step_states').values({ item_id: itemId, step_key: stepKey, ...values })
        .onConflict((oc) => oc.columns(['item_id', 'step_key']).doUpdateSet(values)).execute();
      return next;
    });
  }

  async addEvidence(itemId: string, input: EvidenceInput, who: Audited): Promise<EvidenceEntry> {
    return this.#db.transaction().execute(async (tx) => {
      const row = await tx.insertInto('evidence_register').values({
        item_id: itemId, file_name: input.fileName, sha256: input.sha256, stored_at: input.storedAt, note: input.note, added_by: who.actor, added_at: who.at,
      }).returningAll().executeTakeFirstOrThrow();
      const entry = toEvidence(row);
      await audit(tx, who, 'evidence.add', itemId, `evidence ${entry.id}: ${entry.fileName}`, null, { ...input });
      return entry;
    });
  }

  async listEvidence(itemId: string): Promise<EvidenceEntry[]> {
    const rows = await this.#db.selectFrom('evidence_register').selectAll().where('item_id', '=', itemId).orderBy('id').execute();
    return rows.map(toEvidence);
  }

  /** Confirms or rejects a technique on an item; null clears the verdict. */
  async setTechniqueVerdict(itemId: string, techniqueId: string, verdict: Verdict | null, reason: string | null, who: Audited): Promise<TechniqueVerdict | null> {
    return this.#db.transaction().execute(async (tx) => {
      const where = { item_id: itemId, technique_id: techniqueId };
      const row = await tx.selectFrom('technique_verdicts').selectAll().where('item_id', '=', itemId).where('technique_id', '=', techniqueId).executeTakeFirst();
      const before = row ? toTechniqueVerdict(row) : null;
      if (verdict === null) {
        if (!before) return null;
        await tx.deleteFrom('technique_verdicts').where('item_id', '=', itemId).where('technique_id', '=', techniqueId).execute();
        await audit(tx, who, 'technique.clear', itemId, techniqueId, before, null);
        return null;
      }
      const after: TechniqueVerdict = { itemId, techniqueId, verdict, reason, by: who.actor, at: who.at };
      const values = { verdict, reason, by: who.actor, at: who.at };
      await tx.insertInto('technique_verdicts').values({ ...where, ...values })
        .onConflict((oc) => oc.columns(['item_id', 'technique_id']).doUpdateSet(values)).execute();
      await audit(tx, who, verdict === 'confirmed' ? 'technique.confirm' : 'technique.reject', itemId, techniqueId, before, after);
      return after;
    });
  }

  /**
   * Confirms or rejects an IOC on an item (null clears the verdict). A rejection as a false positive also puts the value on
   * the persistent list; confirming a value as malicious takes it off that list, since the two cannot both hold.
   */
  async setIocVerdict(itemId: string, type: IocType, value: string, verdict: Verdict | null, reason: string | null, falsePositive: boolean, who: Audited): Promise<IocVerdict | null> {
    return this.#db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('ioc_verdicts').selectAll().where('item_id', '=', itemId).where('ioc_type', '=', type).where('value', '=', value).executeTakeFirst();
      const before = row ? toIocVerdict(row) : null;
      const target = `${type} ${value}`;
      if (verdict === null) {
        if (!before) return null;
        await tx.deleteFrom('ioc_verdicts').where('item_id', '=', itemId).where('ioc_type', '=', type).where('value', '=', value).execute();
        await audit(tx, who, 'ioc.clear', itemId, target, before, null);
        return null;
      }
      const fp = verdict === 'rejected' && falsePositive;
      const after: IocVerdict = { itemId, type, value, verdict, reason, falsePositive: fp, by: who.actor, at: who.at };
      const values = { verdict, reason, false_positive: fp ? 1 : 0, by: who.actor, at: who.at };
      await tx.insertInto('ioc_verdicts').values({ item_id: itemId, ioc_type: type, value, ...values })
        .onConflict((oc) => oc.columns(['item_id', 'ioc_type', 'value']).doUpdateSet(values)).execute();
      await audit(tx, who, verdict === 'confirmed' ? 'ioc.confirm' : 'ioc.reject', itemId, target, before, after);
      const listed = await tx.selectFrom('false_positives').selectAll().where('ioc_type', '=', type).where('value', '=', value).executeTakeFirst();
      if (fp) {
        const entry = { reason: reason ?? '', added_by: who.actor, added_at: who.at, item_id: itemId };
        await tx.insertInto('false_positives').values({ ioc_type: type, value, ...entry })
          .onConflict((oc) => oc.columns(['ioc_type', 'value']).doUpdateSet(entry)).execute();
        await audit(tx, who, 'false-positive.add', itemId, target, listed ? toFalsePositive(listed) : null, toFalsePositive({ ioc_type: type, value, ...entry }));
      } else if (verdict === 'confirmed' && listed) {
        await tx.deleteFrom('false_positives').where('ioc_type', '=', type).where('value', '=', value).execute();
        await audit(tx, who, 'false-positive.remove', itemId, target, toFalsePositive(listed), null);
      }
      return after;
    });
  }

  async falsePositives(): Promise<FalsePositive[]> {
    const rows = await this.#db.selectFrom('false_positives').selectAll().orderBy('ioc_type').orderBy('value').execute();
    return rows.map(toFalsePositive);
  }

  async removeFalsePositive(type: IocType, value: string, who: Audited): Promise<boolean> {
    return this.#db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('false_positives').selectAll().where('ioc_type', '=', type).where('value', '=', value).executeTakeFirst();
      if (!row) return false;
      await tx.deleteFrom('false_positives').where('ioc_type', '=', type).where('value', '=', value).execute();
      await audit(tx, who, 'false-positive.remove', null, `${type} ${value}`, toFalsePositive(row), null);
      return true;
    });
  }

  /** The audit log, newest first. */
  async auditLog(query: AuditQuery): Promise<AuditEntry[]> {
    let q = this.#db.selectFrom('audit_log').selectAll();
    if (query.itemId !== undefined) q = q.where('item_id', '=', query.itemId);
    const rows = await q.orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
    return rows.map((r) => ({
      id: Number(r.id), at: r.at, actor: r.actor, action: r.action, itemId: r.item_id, target: r.target,
      before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after),
    }));
  }
}
