// Calculator task (multi-turn, tool use): prompts like "37*48+12", answer "1788". The model may call the
// calculator tool (<tool>calculator</tool><args>37*48+12</args>); the environment returns the result in a
// `tool` message, and a turn without a tool call is the final answer, in <answer></answer> tags (tool-env.ts).
// Params: maxOperand (operands from 0, default 99, up to 9999), terms (operands per problem, 2..4, default 3),
// ops (operators from "+-*", default "+-*") and maxTurns (1..10, default 3). The usual operator precedence
// applies. Correctness: `correct_answer`; `tool_use` rewards calling the tool. Held-out split: see split.ts.

import type { Rng } from '../../engine/rng.ts';
import { calculatorTool, evaluateArithmetic, formatNumber } from '../envs/calculator-tool.ts';
import { describeTools, toolEnvironment } from '../envs/tool-env.ts';
import type { MultiTurnTask } from '../envs/types.ts';
import { ParamReader } from './params.ts';
import { hashSplit, requireSpace } from './split.ts';
import type { TaskParams, TaskRow } from './types.ts';

const KNOWN_PARAMS = ['maxOperand', 'terms', 'ops', 'maxTurns'] as const;
const OPS = '+-*';
const SPLIT_SEED = 0x5eed_ca1c;

export interface CalculatorParams {
  maxOperand: number;
  terms: number;
  ops: string;
  maxTurns: number;
}

export function parseCalculatorParams(params: TaskParams): CalculatorParams {
  const p = new ParamReader('calculator', params, KNOWN_PARAMS);
  const maxOperand = p.int('maxOperand', 99, 1, 9999);
  const terms = p.int('terms', 3, 2, 4);
  const ops = p.string('ops', OPS, 3);
  if (ops.length === 0 || [...ops].some((c, i) => !OPS.includes(c) || ops.indexOf(c) !== i)) {
    throw p.error(`ops must be distinct operators from "${OPS}", got ${JSON.stringify(ops)}`);
  }
  const maxTurns = p.int('maxTurns', 3, 1, 10);
  requireSpace(p, (maxOperand + 1) ** terms * ops.length ** (terms - 1), 'raise maxOperand or terms');
  return { maxOperand, terms, ops, maxTurns };
}

export function createCalculatorTask(params: TaskParams): MultiTurnTask {
  const { maxOperand, terms, ops, maxTurns } = parseCalculatorParams(params);
  const draw = (rng: Rng): TaskRow => {
    let expression = String(rng.int(maxOperand + 1));
    for (let t = 1; t < terms; t++) expression += ops[rng.int(ops.length)] + String(rng.int(maxOperand + 1));
    return { prompt: expression, answer: formatNumber(evaluateArithmetic(expression)) };
  };
  const systemPrompt =
`Compute it; answer as <answer>N</answer>.\n${describeTools([calculatorTool])}`;
  return {
    name: 'calculator',
    description: `${terms} operands from 0 to ${maxOperand} with "${ops}", solved with a calculator tool in up to ${maxTurns} turns`,
    systemPrompt,
    correctnessCriterion: 'correct_answer',
    environment: toolEnvironment({ tools: [calculatorTool], systemPrompt, maxTurns }),
    ...hashSplit(SPLIT_SEED, draw),
  };
}
