import { describe, expect, it } from 'vitest';
import { CHATML_NO_SYSTEM_TEMPLATE, CHATML_TEMPLATE, ChatTemplateError, renderChat } from './chat.ts';

const messages = [
  { role: 'system', content: 'Answer in <answer> tags.' },
  { role: 'user', content: 'What is 2+2?' },
];

describe('renderChat', () => {
  it('the tiny models\' template drops system messages and is prefix-stable', () => {
    const convo = [...messages, { role: 'assistant', content: '<answer>4</answer>' }, { role: 'user', content: 'higher' }];
    const full = renderChat(CHATML_NO_SYSTEM_TEMPLATE, convo, { addGenerationPrompt: false });
    expect(full).toBe(renderChat(CHATML_TEMPLATE, convo.slice(1), { addGenerationPrompt: false }));
    for (let n = 1; n < convo.length; n++) {
      expect(full.startsWith(renderChat(CHATML_NO_SYSTEM_TEMPLATE, convo.slice(0, n), { addGenerationPrompt: false }))).toBe(true);
    }
    expect(renderChat(CHATML_NO_SYSTEM_TEMPLATE, messages, { addGenerationPrompt: true })).toMatch(/^<\|im_start\|>user\n.*<\|im_start\|>assistant\n$/s);
  });

  it('renders ChatML with a generation prompt', () => {
    expect(renderChat(CHATML_TEMPLATE, messages, { addGenerationPrompt: true })).toBe(
      '<|im_start|>system\nAnswer in <answer> tags.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('renders ChatML without a generation prompt, including an assistant turn', () => {
    const convo = [...messages, { role: 'assistant', content: '<answer>4</answer>' }];
    expect(renderChat(CHATML_TEMPLATE, convo, { addGenerationPrompt: false })).toBe(
      '<|im_start|>system\nAnswer in <answer> tags.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n' +
        '<|im_start|>assistant\n<answer>4</answer><|im_end|>\n',
    );
    expect(renderChat(CHATML_TEMPLATE, [], { addGenerationPrompt: false })).toBe('');
  });

  it('passes bos/eos tokens and extra variables to the template', () => {
    const template = '{{ bos_token }}{% for m in messages %}{{ m.content }}{{ eos_token }}{% endfor %}{% if enable_thinking %}T{% endif %}';
    expect(renderChat(template, messages.slice(1), { addGenerationPrompt: false, bosToken: '<s>', eosToken: '</s>' })).toBe('<s>What is 2+2?</s>');
    expect(renderChat(template, [], { addGenerationPrompt: false, variables: { enable_thinking: true } })).toBe('T');
  });

  it('throws one clear error for a template that does not parse or that fails to render', () => {
    expect(() => renderChat('{% for m in messages %}', messages, { addGenerationPrompt: false })).toThrow(ChatTemplateError);
    expect(() => renderChat('{% for m in messages %}', messages, { addGenerationPrompt: false })).toThrow(/could not be parsed/);
    expect(() => renderChat("{{ raise_exception('roles must alternate') }}", messages, { addGenerationPrompt: false })).toThrow(
      /failed to render: .*roles must alternate/,
    );
  });
});
