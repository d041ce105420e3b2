// The run config's model id: a bundled folder name or hf:ORG/NAME[@REV]; anything else is one clear message.
import { describe, expect, it } from 'vitest';
import { mergeWithDefaults } from './schema.ts';

const withModel = (id: string) => () => mergeWithDefaults({ model: { id } });

describe('model.id', () => {
  it.each(['tiny-arith', 'hf:HuggingFaceTB/SmolLM2-135M-Instruct', 'hf:Qwen/Qwen3-0.6B@main', 'hf:org/name@refs/pr/1', `hf:a/b@${'0'.repeat(40)}`])(
    'accepts %s',
    (id) => expect(withModel(id)().model.id).toBe(id),
  );
  it.each([
    ['../etc', /model\.id: "\.\.\/etc" is not a bundled model name or hf:ORG\/NAME/],
    ['hf:only-one-part', /model\.id: "only-one-part" is not ORG\/NAME/],
    ['hf:a/b/c', /is not ORG\/NAME/],
    ['hf:a--b/c', /"a--b" is not a valid Hub name/],
    ['hf:a/b@x@y', /more than one @/],
    ['hf:a/b@../x', /"\.\.\/x" is not a valid revision/],
  ])('refuses %s', (id, pattern) => expect(withModel(id)).toThrow(pattern));
});
