/** Reads the team's work from a form post or a JSON body into typed changes, refusing bad input with a message that says what to fix. */
import { IOC_TYPES, type IocType } from '../../domain/ioc.js';
import type { EvidenceInput, StepChange, Verdict } from '../../domain/work.js';

/** Bad input from an analyst: the route answers 400 with this message. */
export class WorkInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkInputError';
  }
}

import type { Fields } from './request-body.js';

export type { Fields };

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Free text: trimmed, at most `max` characters, no control characters but newlines and tabs; empty gives null. */
function text(fields: Fields, name: string, max: number, options: { required?: boolean; multiline?: boolean } = {}): string | null {
  const raw = fields[name];
  if (raw === undefined || raw === null) {
    if (options.required) throw new WorkInputError(`${name} is required`);
    return null;
  }
  if (typeof raw !== 'string') throw new WorkInputError(`${name} must be text`);
  const value = raw.replace(/\r\n?/g, '\n').trim();
  if (value === '') {
    if (options.required) throw new WorkInputError(`${name} is required`);
    return null;
  }
  if (value.length > max) throw new WorkInputError(`${name} is ${value.length} characters; at most ${max} are kept`);
  if (CONTROL.test(value) || (!options.multiline && /[\n\t]/.test(value))) throw new WorkInputError(`${name} must not contain control characters${options.multiline ? '' : ' or line breaks'}`);
  return value;
}

function bool(fields: Fields, name: string): boolean | undefined {
  const raw = fields[name];
  if (raw === undefined) return undefined;
  if (raw === true || raw === false) return raw;
  if (typeof raw === 'string' && /^(1|true|on|yes)$/i.test(raw)) return true;
  if (typeof raw === 'string' && /^(0|false|off|no|)$/i.test(raw)) return false;
  throw new WorkInputError(`${name} must be true or false`);
}

/** A user name as the auth helper spells them: letters, digits and . _ @ - (and inner spaces), at most 100 characters. */
const USER_NAME = /^[\p{L}\p{N}._@-]+(?: [\p{L}\p{N}._@-]+)*$/u;

export function stepChange(fields: Fields): StepChange {
  const done = bool(fields, 'done');
  const change: { done?: boolean; assignee?: string | null; note?: string | null } = {};
  if (done !== undefined) change.done = done;
  if ('assignee' in fields) {
    const assignee = text(fields, 'assignee', 100);
    if (assignee !== null && !USER_NAME.test(assignee)) throw new WorkInputError(`assignee "${assignee}" is not a user name (letters, digits, . _ @ -)`);
    change.assignee = assignee;
  }
  if ('note' in fields) change.note = text(fields, 'note', 4000, { multiline: true });
  if (Object.keys(change).length === 0) throw new WorkInputError('nothing to change: give done, assignee or note');
  return change;
}

export const SHA256 = /^[0-9a-f]{64}$/;

export function evidenceInput(fields: Fields): EvidenceInput {
  const fileName = text(fields, 'fileName', 255, { required: true })!;
  const rawHash = text(fields, 'sha256', 200, { required: true })!;
  const sha256 = rawHash.toLowerCase();
  if (!SHA256.test(sha256)) {
    const why = /[^0-9a-f]/.test(sha256) ? 'it holds characters other than 0-9 and a-f' : `it has ${sha256.length}`;
    throw new WorkInputError(`sha256 must be 64 hexadecimal digits (0-9, a-f); ${why}`);
  }
  return { fileName, sha256, storedAt: text(fields, 'storedAt', 500, { required: true })!, note: text(fields, 'note', 2000) };
}

export interface VerdictInput {
  readonly verdict: Verdict | null;
  readonly falsePositive: boolean;
  readonly reason: string | null;
}

/** confirmed, rejected, false-positive (a rejection that goes on the persistent list, with a reason) or clear. */
export function verdictInput(fields: Fields, allowFalsePositive: boolean): VerdictInput {
  const raw = fields.verdict;
  const reason = text(fields, 'reason', 500);
  const falsePositive = raw === 'false-positive' || (raw === 'rejected' && bool(fields, 'falsePositive') === true);
  if (falsePositive && !allowFalsePositive) throw new WorkInputError('only an IOC can be a false positive');
  if (falsePositive && reason === null) throw new WorkInputError('a false positive needs a reason: it is shown on every item that holds the value');
  if (raw === 'clear') return { verdict: null, falsePositive: false, reason: null };
  if (raw === 'confirmed' || raw === 'rejected' || raw === 'false-positive') return { verdict: raw === 'confirmed' ? 'confirmed' : 'rejected', falsePositive, reason };
  throw new WorkInputError(`verdict must be confirmed, rejected${allowFalsePositive ? ', false-positive' : ''} or clear`);
}

export function iocType(fields: Fields): IocType {
  const t = fields.type;
  if (typeof t !== 'string' || !(IOC_TYPES as readonly string[]).includes(t)) throw new WorkInputError(`type must be an IOC type (${IOC_TYPES.join(', ')})`);
  return t as IocType;
}
