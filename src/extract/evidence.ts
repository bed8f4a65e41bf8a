/** Builds Evidence values from sentences and rule names, in one place so every stage cites alike. */
import type { Evidence } from '../domain/index.js';
import type { Sentence } from './sentences.js';

const MAX_EVIDENCE = 400;

export function evidenceOf(sentence: Sentence, rule: string): Evidence {
  const text = sentence.text.length > MAX_EVIDENCE ? `${sentence.text.slice(0, MAX_EVIDENCE - 1)}…` : sentence.text;
  return { text, start: sentence.start, end: sentence.end, rule };
}
