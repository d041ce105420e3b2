// A run checkpoint as files: checkpoint.json (the run config, counters, the hacking monitor, the step-0 eval) and
// trainer_state.safetensors (the trainable weights and AdamW's moments as F32 tensors). Restoring one into a fresh
// Trainer of the same config and model continues the run exactly: every later metric equals the uninterrupted
// run's, bit for bit on the CPU backend (checkpoint.test.ts). Storage-agnostic: the CLI writes the files to a
// folder, the page to IndexedDB.
import { readSafetensorsHeader, decodeTensorInto, serializeSafetensors } from '../engine/io/safetensors.ts';
import { parseRunConfig, type RunConfig } from './config/schema.ts';
import type { HackingMonitorState } from './hacking.ts';
import type { TrainerState } from './trainer.ts';

export const CHECKPOINT_JSON = 'checkpoint.json';
export const CHECKPOINT_TENSORS = 'trainer_state.safetensors';
const FORMAT = 'grpo-playground-checkpoint';
const VERSION = 1;

export interface Checkpoint {
  config: RunConfig;
  state: TrainerState;
  /** The evaluation before any update (the run's starting point, for "0.48 -> 0.88" summaries). */
  firstEval?: Record<string, number>;
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export function checkpointFiles(c: Checkpoint): Map<string, Uint8Array | string> {
  const { trainable, optimizer, ...counters } = c.state;
  const json = {
    format: FORMAT,
    version: VERSION,
    step: counters.step,
    rowCursor: counters.rowCursor,
    numTokens: counters.numTokens,
    optimizerStep: optimizer.t,
    hacking: counters.hacking,
    firstEval: c.firstEval ?? null,
    config: c.config,
  };
  const tensors = [
    { name: 'trainable', shape: [trainable.length], data: trainable },
    { name: 'adamw.m', shape: [optimizer.m.length], data: optimizer.m },
    { name: 'adamw.v', shape: [optimizer.v.length], data: optimizer.v },
  ];
  return new Map<string, Uint8Array | string>([
    [CHECKPOINT_JSON, JSON.stringify(json, null, 1) + '\n'],
    [CHECKPOINT_TENSORS, serializeSafetensors(tensors, { format: 'grpo-playground' })],
  ]);
}

/** Parse the two files of a checkpoint; throws CheckpointError naming what is wrong. */
export function readCheckpoint(jsonText: string, tensorBytes: Uint8Array): Checkpoint {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(jsonText);
  } catch (e) {
    throw new CheckpointError(`${CHECKPOINT_JSON} is not valid JSON: ${(e as Error).message}`);
  }
  if (json?.format !== FORMAT) throw new CheckpointError(`${CHECKPOINT_JSON} is not a GRPO Playground checkpoint`);
  if (json.version !== VERSION) throw new CheckpointError(`${CHECKPOINT_JSON} has version ${String(json.version)}; this build reads version ${VERSION}`);
  const int = (key: string) => {
    const v = json[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new CheckpointError(`${CHECKPOINT_JSON} field ${key} must be a non-negative integer`);
    return v;
  };
  let config: RunConfig;
  try {
    config = parseRunConfig(json.config);
  } catch (e) {
    throw new CheckpointError(`${CHECKPOINT_JSON} holds an invalid run config: ${(e as Error).message}`);
  }
  const tensor = (name: string) => {
    try {
      const header = readSafetensorsHeader(tensorBytes);
      const info = header.tensors.get(name);
      if (!info || info.shape.length !== 1) throw new CheckpointError(`${CHECKPOINT_TENSORS} has no 1-D tensor ${name}`);
      const out = new Float32Array(info.shape[0]);
      decodeTensorInto(tensorBytes, header, info, out);
      return out;
    } catch (e) {
      if (e instanceof CheckpointError) throw e;
      throw new CheckpointError(`${CHECKPOINT_TENSORS}: ${(e as Error).message}`);
    }
  };
  const firstEval = json.firstEval && typeof json.firstEval === 'object' ? (json.firstEval as Record<string, number>) : undefined;
  return {
    config,
    firstEval,
    state: {
      step: int('step'),
      rowCursor: int('rowCursor'),
      numTokens: int('numTokens'),
      hacking: json.hacking as HackingMonitorState,
      trainable: tensor('trainable'),
      optimizer: { t: int('optimizerStep'), m: tensor('adamw.m'), v: tensor('adamw.v') },
    },
  };
}
