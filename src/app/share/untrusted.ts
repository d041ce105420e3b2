// Which parts of a run config run someone else's code or reach the network, so that a config from a link is
// applied only after the user has seen them: custom_code (JavaScript), regex (a pattern; a bad one can loop,
// so it too runs in the sandbox) and llm_judge (sends prompts and completions, and the judge key the user
// types, to the link's address). Pure functions; the consent prompt is ShareLinkNotice.
import { defaultRunConfig, type RunConfig } from '../../rl/config/schema.ts';
import { resolveCriterionParams } from '../../rl/rubric/criteria.ts';

export const UNTRUSTED_KINDS = ['custom_code', 'regex', 'llm_judge'] as const;
export type UntrustedKind = (typeof UNTRUSTED_KINDS)[number];

export interface UntrustedCriterion {
  name: string;
  kind: UntrustedKind;
  /** What running it does, in one sentence. */
  effect: string;
  /** The code (or pattern, or address and prompt) to show, as plain text. */
  code: string;
}

const isUntrusted = (kind: string): kind is UntrustedKind => (UNTRUSTED_KINDS as readonly string[]).includes(kind);

function describe(kind: UntrustedKind, params: Record<string, number | string | boolean>): Pick<UntrustedCriterion, 'effect' | 'code'> {
  switch (kind) {
    case 'custom_code':
      return { effect: 'JavaScript run in a sandbox on every completion to score it.', code: String(params.code) };
    case 'regex':
      return {
        effect: 'A regular expression run in a sandbox on every completion.',
        code: `/${String(params.pattern)}/${String(params.flags)}   (on: ${String(params.field)})`,
      };
    case 'llm_judge':
      return {
        effect: 'Sends each prompt and completion (and the judge API key, if you enter one) to this address.',
        code: `POST ${String(params.baseUrl)}/chat/completions   (model: ${String(params.model)}${params.mode === 'group' ? ', every completion of a prompt in one request' : ''})\n\n${String(params.mode === 'group' ? params.groupTemplate : params.template)}`,
      };
  }
}

/** The criteria of this config that need the user's consent, in rubric order (params with their defaults). */
export function untrustedCriteria(config: RunConfig): UntrustedCriterion[] {
  return config.rubric.criteria.flatMap((c) => {
    if (!isUntrusted(c.kind)) return [];
    return [{ name: c.name, kind: c.kind, ...describe(c.kind, resolveCriterionParams(c.kind, c.params)) }];
  });
}

export interface DeclinedConfig {
  config: RunConfig;
  removed: string[];
  /** True when nothing was left, so the default rubric replaced the link's. */
  rubricReset: boolean;
}

/** The config without its untrusted criteria; the default rubric when none would be left. */
export function withoutUntrustedCriteria(config: RunConfig): DeclinedConfig {
  const kept = config.rubric.criteria.filter((c) => !isUntrusted(c.kind));
  const removed = config.rubric.criteria.filter((c) => isUntrusted(c.kind)).map((c) => c.name);
  const rubricReset = kept.length === 0;
  const criteria = rubricReset ? defaultRunConfig().rubric.criteria : structuredClone(kept);
  return { config: { ...config, rubric: { ...config.rubric, criteria } }, removed, rubricReset };
}
