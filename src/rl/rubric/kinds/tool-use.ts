// tool_use: rewards calling tools successfully in tool-using multi-turn tasks (calculator). Reads the
// environment's final state, which follows the ToolState convention of src/rl/envs/types.ts:
// { toolCalls, toolFailures }. On a task without such a state it throws (counted as an error).

import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

export const toolUse: CriterionKind = {
  kind: 'tool_use',
  description: 'Successful tool calls / min, capped at 1 (0 without a successful call).',
  params: {
    min: { type: 'number', default: 1, min: 1, integer: true, description: 'Successful calls that earn the full score.' },
  },
  create(params: CriterionParams): CriterionFn {
    const min = Number(params.min);
    return ({ state }) => {
      if (!state || typeof state.toolCalls !== 'number' || typeof state.toolFailures !== 'number') {
        throw new Error('needs a tool-using multi-turn task whose state counts toolCalls/toolFailures (calculator)');
      }
      return Math.min(1, (state.toolCalls - state.toolFailures) / min);
    };
  },
};
