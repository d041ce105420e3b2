// What a model can read, for the own-data editor's warnings: whether its chat template keeps a system message
// (rendered with @huggingface/jinja, as training renders it), and which characters its tokenizer knows when it
// cannot encode every text (a BPE vocabulary without byte fallback or byte-level pre-tokenisation, like the
// bundled character models: anything else becomes the unknown token). Bundled models only: their files are
// served with the page; a Hub model's are read where its card is.
import { Template } from '@huggingface/jinja';
import type { DataRow } from '../../rl/tasks/data/dataset.ts';

export type SystemHandling = 'kept' | 'dropped' | 'refused';

export interface ModelText {
  system: SystemHandling;
  /** The characters the tokenizer has tokens for; null when it encodes any text (byte-level or byte fallback). */
  characters: Set<string> | null;
}

const MARK = 'SYSTEM-MESSAGE-PROBE';

/** Render a system + user exchange; the system text must come out, else the template drops (or refuses) it. */
export function systemHandling(chatTemplate: string): SystemHandling {
  try {
    const out = new Template(chatTemplate).render({
      messages: [
        { role: 'system', content: MARK },
        { role: 'user', content: 'hi' },
      ],
      add_generation_prompt: true,
      bos_token: '',
      eos_token: '',
    }); // raise_exception is built in (a template that calls it throws: refused)
    return out.includes(MARK) ? 'kept' : 'dropped';
  } catch {
    return 'refused';
  }
}

interface TokenizerJson {
  model?: { type?: string; vocab?: Record<string, number> | [string, number][]; byte_fallback?: boolean };
  pre_tokenizer?: unknown;
  decoder?: unknown;
}

/** Single-character vocabulary entries, or null when the tokenizer can encode any text. */
export function knownCharacters(tokenizer: TokenizerJson): Set<string> | null {
  const byteLevel = JSON.stringify([tokenizer.pre_tokenizer ?? null, tokenizer.decoder ?? null]).includes('"ByteLevel"');
  if (byteLevel || tokenizer.model?.byte_fallback) return null;
  const vocab = tokenizer.model?.vocab;
  const tokens = Array.isArray(vocab) ? vocab.map(([t]) => t) : Object.keys(vocab ?? {});
  const chars = tokens.filter((t) => [...t].length === 1);
  return chars.length > 0 ? new Set(chars) : null;
}

export interface OutsideVocabulary {
  /** Rows (by their data line) with characters the tokenizer does not know, first ones first. */
  lines: number[];
  /** How many rows have such characters. */
  rows: number;
  /** The unknown characters, in order of first appearance. */
  characters: string[];
}

/** Rows whose prompt or answer has characters outside `known` (null: none, or the tokenizer knows them all). */
export function outsideVocabulary(rows: readonly DataRow[], known: Set<string> | null, maxLines = 5): OutsideVocabulary | null {
  if (!known) return null;
  const lines: number[] = [];
  const chars = new Set<string>();
  let count = 0;
  for (const r of rows) {
    let bad = false;
    for (const ch of r.prompt + r.answer) {
      if (!known.has(ch)) {
        chars.add(ch);
        bad = true;
      }
    }
    if (bad) {
      count++;
      if (lines.length < maxLines) lines.push(r.line);
    }
  }
  return count === 0 ? null : { lines, rows: count, characters: [...chars] };
}

/** A character as the warning shows it: itself in quotes, with its code point ("é" U+00E9). */
export function showCharacter(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const printable = cp > 0x20 && cp !== 0x7f;
  return `${printable ? `“${ch}” ` : ''}U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

const loaded = new Map<string, Promise<ModelText | null>>();

/** A bundled model's template and vocabulary (null for a Hub model, or when its files cannot be read). */
export function loadModelText(modelId: string): Promise<ModelText | null> {
  if (modelId.startsWith('hf:')) return Promise.resolve(null);
  let p = loaded.get(modelId);
  if (!p) {
    const file = (name: string) => fetch(`/models/${encodeURIComponent(modelId)}/${name}`).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))));
    p = Promise.all([file('tokenizer.json'), file('tokenizer_config.json')])
      .then(([tokenizer, config]: [TokenizerJson, { chat_template?: unknown }]) => ({
        system: typeof config.chat_template === 'string' ? systemHandling(config.chat_template) : 'kept',
        characters: knownCharacters(tokenizer),
      }))
      .catch(() => null);
    loaded.set(modelId, p);
  }
  return p;
}
