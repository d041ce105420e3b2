// The rubric assistant: from a task description and a few example prompts (with reference answers and sample
// completions), a model behind any OpenAI-compatible endpoint proposes rubric criteria in our schema (kind,
// params, weight) with a one-line reason each. The reply is untrusted: each proposed criterion is checked on its
// own (name, known kind, finite weight in [-MAX_WEIGHT, MAX_WEIGHT], params against the kind's declaration and
// its validate()), so a good one survives a bad neighbour, and the bad ones come back with their error, never as
// a criterion. A proposed llm_judge may only call the assistant's own endpoint (a reply must not be able to send
// prompts, completions and the judge key elsewhere). Nothing is applied here: the person accepts criteria one by
// one (acceptProposals), and the run config's own validation has the last word.

import { CRITERIA, resolveCriterionParams, type CriterionRegistry } from './criteria.ts';
import { chatCompletion, redact, validateBaseUrl, type ChatMessage } from './judge.ts';
import { jsonInReply } from './judge-group.ts';
import { CRITERION_NAME_PATTERN, type CriterionParams, type CriterionSpec } from './types.ts';

/** The most criteria a rubric holds (the run config's limit). */
export const MAX_CRITERIA = 32;
/** Proposed weights are refused outside [-MAX_WEIGHT, MAX_WEIGHT] (the schema allows any finite weight; a proposal need not). */
export const MAX_WEIGHT = 10;
const MAX_REASON = 300;
const MAX_EXAMPLES = 8;
const MAX_EXAMPLE_CHARS = 2000;

export interface AssistantExample {
  prompt: string;
  answer?: string;
  /** Sample completions a model wrote (good and bad ones help). */
  completions?: string[];
}

export interface SuggestRequest {
  /** What the task is and what a good answer looks like, in the person's words. */
  task: string;
  examples: AssistantExample[];
  /** The rubric so far (its names are taken; the model is told what it already has). */
  existing?: readonly CriterionSpec[];
}

export interface AssistantEndpoint {
  baseUrl: string;
  model: string;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxTokens: number;
}

export const DEFAULT_ASSISTANT_LIMITS = { timeoutMs: 60_000, retries: 1, retryDelayMs: 500, maxTokens: 2048 } as const;

export interface Proposal {
  /** As it would enter rubric.criteria (only the params the model set; defaults fill the rest). */
  criterion: CriterionSpec;
  reason: string;
}

export interface RejectedProposal {
  /** 0-based position in the reply's list. */
  index: number;
  name?: string;
  error: string;
}

export interface Suggestion {
  proposals: Proposal[];
  rejected: RejectedProposal[];
}

const short = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}…` : text);

/** One line per kind: name, what it does, its params with type and default (long defaults elided). */
function kindCatalogue(registry: CriterionRegistry): string {
  return Object.values(registry)
    .map((k) => {
      const params = Object.entries(k.params).map(([name, p]) => {
        const def = typeof p.default === 'string' && p.default.length > 40 ? '(long text)' : JSON.stringify(p.default);
        return `${name}: ${p.type}${p.choices ? ` one of ${p.choices.join('|')}` : ''} = ${def}`;
      });
      return `- ${k.kind}: ${k.description}${params.length ? ` Params: ${params.join('; ')}.` : ''}`;
    })
    .join('\n');
}

/** The messages sent to the assistant model. */
export function assistantMessages(req: SuggestRequest, registry: CriterionRegistry = CRITERIA): ChatMessage[] {
  const system = `You design reward rubrics for reinforcement learning (GRPO) of small language models. A rubric is a weighted sum of criteria; each criterion scores one completion, most in [0, 1]. Reward hacking is the main danger: a model will exploit any criterion that pays for form without substance, so keep a correctness criterion with the largest weight, and give format criteria small weights (partial credit that gives signal early).

Criterion kinds (use only these, with only these params):
${kindCatalogue(registry)}

Reply with JSON only, no prose:
{"criteria": [{"name": "short_name", "kind": "<one of the kinds>", "weight": <number>, "params": {<only params you change>}, "reason": "<one line: why this criterion and weight>"}]}
Names: 1-64 letters, digits, _ . or -. At most ${MAX_CRITERIA} criteria; 2-5 is usual.`;
  const examples = req.examples.slice(0, MAX_EXAMPLES).map((e, i) => {
    const lines = [`Example ${i + 1}`, `Prompt: ${short(e.prompt, MAX_EXAMPLE_CHARS)}`];
    if (e.answer !== undefined) lines.push(`Reference answer: ${short(e.answer, MAX_EXAMPLE_CHARS)}`);
    (e.completions ?? []).slice(0, MAX_EXAMPLES).forEach((c, j) => lines.push(`Sample completion ${j + 1}: ${short(c, MAX_EXAMPLE_CHARS)}`));
    return lines.join('\n');
  });
  const existing = req.existing?.length
    ? `\n\nThe rubric already has: ${req.existing.map((c) => `${c.name} (${c.kind}, weight ${c.weight})`).join(', ')}. Propose what it lacks; do not reuse these names.`
    : '';
  const user = `Task: ${short(req.task, 4000)}\n\n${examples.join('\n\n')}${existing}`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Check one proposed criterion; returns it or throws naming the problem. */
function checkProposal(raw: unknown, taken: Set<string>, judge: { baseUrl: string; model: string }, registry: CriterionRegistry): Proposal {
  if (!isPlainObject(raw)) throw new Error('not an object');
  const { name, kind, weight, params = {}, reason } = raw;
  if (typeof name !== 'string' || !CRITERION_NAME_PATTERN.test(name)) throw new Error(`name ${short(JSON.stringify(name) ?? 'missing', 70)} must be 1-64 letters, digits, _ . or -`);
  if (taken.has(name)) throw new Error(`name '${name}' is already taken`);
  if (typeof kind !== 'string' || !Object.hasOwn(registry, kind)) throw new Error(`unknown kind ${short(JSON.stringify(kind) ?? 'missing', 70)}`);
  if (typeof weight !== 'number' || !Number.isFinite(weight) || Math.abs(weight) > MAX_WEIGHT) throw new Error(`weight must be a number from -${MAX_WEIGHT} to ${MAX_WEIGHT}`);
  if (!isPlainObject(params)) throw new Error('params must be an object');
  const own: CriterionParams = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === '__proto__') throw new Error("param '__proto__' is not allowed");
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') throw new Error(`param '${short(key, 40)}' must be a number, string or boolean`);
    own[key] = value;
  }
  if (kind === 'llm_judge') {
    if (own.baseUrl !== undefined && own.baseUrl !== judge.baseUrl) {
      throw new Error(`proposes a judge at another address (${short(String(own.baseUrl), 80)}): only the assistant's own endpoint is accepted`);
    }
    own.baseUrl = judge.baseUrl;
    if (own.model === undefined) own.model = judge.model;
  }
  resolveCriterionParams(kind, own, registry); // throws "<kind>: param '...' ..." naming the problem
  const line = typeof reason === 'string' ? reason.replace(/\s+/g, ' ').trim() : '';
  return { criterion: { name, kind, weight, params: own }, reason: short(line || '(no reason given)', MAX_REASON) };
}

/**
 * Read an assistant reply. Throws when it holds no list of criteria at all; otherwise each entry is a proposal
 * or a rejection with its reason. `judge` is the assistant's own endpoint (the only one a proposed judge may call).
 */
export function readSuggestion(
  reply: string,
  judge: { baseUrl: string; model: string },
  existingNames: readonly string[] = [],
  registry: CriterionRegistry = CRITERIA,
): Suggestion {
  const value = jsonInReply(reply.slice(0, 200_000), 'the assistant reply', '{"criteria": [...]}');
  const list = Array.isArray(value) ? value : isPlainObject(value) ? value.criteria : undefined;
  if (!Array.isArray(list)) throw new Error('the assistant reply has no "criteria" list');
  if (list.length === 0) throw new Error('the assistant proposed no criteria');
  const taken = new Set(existingNames);
  const out: Suggestion = { proposals: [], rejected: [] };
  list.forEach((raw, index) => {
    const name = isPlainObject(raw) && typeof raw.name === 'string' ? short(raw.name, 64) : undefined;
    if (out.proposals.length + existingNames.length >= MAX_CRITERIA) {
      out.rejected.push({ index, name, error: `a rubric holds at most ${MAX_CRITERIA} criteria` });
      return;
    }
    try {
      const p = checkProposal(raw, taken, judge, registry);
      taken.add(p.criterion.name);
      out.proposals.push(p);
    } catch (e) {
      out.rejected.push({ index, name, error: e instanceof Error ? e.message : String(e) });
    }
  });
  return out;
}

/** Ask the assistant model; resolves to the checked suggestion, rejects with one message (the key redacted). */
export async function suggestRubric(
  req: SuggestRequest,
  endpoint: AssistantEndpoint,
  env: { apiKey?: string; fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> } = {},
): Promise<Suggestion> {
  validateBaseUrl(endpoint.baseUrl);
  if (!req.task.trim()) throw new Error('describe the task first');
  try {
    const reply = await chatCompletion({ ...endpoint, messages: assistantMessages(req) }, env);
    return readSuggestion(reply, endpoint, (req.existing ?? []).map((c) => c.name));
  } catch (e) {
    // No `cause`: the original error is dropped on purpose, so no unredacted text travels on.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`rubric assistant: ${redact(e instanceof Error ? e.message : String(e), env.apiKey)}`);
  }
}

/** The rubric after accepting some proposals: the existing criteria, then the accepted ones in order. */
export function acceptProposals(existing: readonly CriterionSpec[], proposals: readonly Proposal[], accepted: readonly boolean[]): CriterionSpec[] {
  return [...existing.map((c) => ({ ...c, params: { ...c.params } })), ...proposals.filter((_, i) => accepted[i]).map((p) => ({ ...p.criterion, params: { ...p.criterion.params } }))];
}
