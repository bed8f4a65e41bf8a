/** The optional rewrite of the executive summary through an OpenAI-compatible endpoint: fact-checked, bounded, and never required. */
import type { Config } from '../config/config.js';
import type { Item, NarrativeOrigin } from '../domain/index.js';
import { type ChatEndpoint, chatCompletion, type ChatMessage } from './rewrite-client.js';
import { checkRewrite } from './rewrite-check.js';

/** Applied to each enriched item; returns the item with the rewritten summary, or the composed one and the reason. */
export interface Rewriter {
  readonly model: string;
  rewrite(item: Item): Promise<Item>;
}

/** What an item says when no endpoint is configured: the composed text, deterministic. */
export const COMPOSED: NarrativeOrigin = { source: 'composed', model: null, note: 'Composed from the facts; no rewrite endpoint is configured.' };

// A summary is six sentences at most; anything much longer than the composed text is not a rewrite of it.
const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_GROWTH = 1.6;

const SYSTEM = [
  'You edit the executive summary of a security incident for leadership. Rewrite it so it reads like an experienced analyst wrote it: plain, direct, no hype.',
  'Rules: use only what the summary states. Do not add any organisation, product, person, place, number, date, CVE, indicator, technique or claim.',
  'Keep every date, number and CVE exactly as written. Keep "unknown" and "not disclosed" statements. Write 3 to 6 sentences.',
  'Reply with the sentences only, one per line, without bullets, numbering or commentary.',
].join(' ');

function messages(item: Item): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Title: ${item.title}\nAs of: ${item.asOf}\n\nSummary:\n${item.summary.join('\n')}` },
  ];
}

/** The model's answer as sentences: one per line, list markers and surrounding quotes removed. */
export function answerSentences(answer: string): string[] {
  return answer
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .split(/\n+/)
    .map((l) => l.trim().replace(/^(?:[-*•]|\d+[.)])\s+/, '').replace(/^"(.*)"$/, '$1').trim())
    .filter((l) => l !== '');
}

const refused = (item: Item, model: string, why: string): Item => ({
  ...item,
  enrichment: { ...item.enrichment, narrative: { source: 'composed', model, note: `Composed from the facts; the rewrite by ${model} was not used: ${why}.` } },
});

export function createRewriter(endpoint: Omit<ChatEndpoint, 'maxBytes'> & { maxBytes?: number }): Rewriter {
  const ep: ChatEndpoint = { maxBytes: MAX_ANSWER_BYTES, ...endpoint };
  return {
    model: ep.model,
    async rewrite(item) {
      // An item with no event has a fixed two-line summary: nothing to improve, nothing to risk.
      if (item.checklist.length === 0) return item;
      let answer: string;
      try {
        answer = await chatCompletion(ep, messages(item));
      } catch (e) {
        return refused(item, ep.model, `the endpoint failed (${(e as Error).message})`);
      }
      const sentences = answerSentences(answer);
      const composedLength = item.summary.join(' ').length;
      if (sentences.join(' ').length > composedLength * MAX_GROWTH + 200) return refused(item, ep.model, `the answer is ${sentences.join(' ').length} characters for a ${composedLength}-character summary`);
      if (sentences.length < 3 || sentences.length > 6) return refused(item, ep.model, `the answer has ${sentences.length} sentences, not 3 to 6`);
      const verdict = checkRewrite(sentences, item);
      if (!verdict.ok) return refused(item, ep.model, `the fact check failed: it ${verdict.reason}`);
      return { ...item, summary: sentences, enrichment: { ...item.enrichment, narrative: { source: 'rewritten', model: ep.model, note: `Rewritten by ${ep.model} from the composed summary; it passed the fact check (no CVE, number, date, name, IOC or technique added).` } } };
    },
  };
}

/** The rewriter the configuration asks for, or null: without VIGIL_LLM_URL nothing leaves the machine. */
export function rewriterFromConfig(config: Pick<Config, 'llmUrl' | 'llmModel' | 'llmApiKey' | 'llmTimeoutMs'>): Rewriter | null {
  if (!config.llmUrl) return null;
  if (!config.llmModel) throw new Error('config: VIGIL_LLM_URL is set but VIGIL_LLM_MODEL is not; name the model to ask for');
  return createRewriter({ url: config.llmUrl, model: config.llmModel, apiKey: config.llmApiKey, timeoutMs: config.llmTimeoutMs });
}
