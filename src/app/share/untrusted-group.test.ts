// A share link's consent summary for a group-mode judge shows the message actually sent (groupTemplate), not
// the unused single-mode template.
import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { untrustedCriteria } from './untrusted.ts';

describe('untrustedCriteria, llm_judge mode "group"', () => {
  it('shows groupTemplate and says every completion of a prompt goes in one request', () => {
    const judge = (params: Record<string, string>) => ({ ...defaultRunConfig(), rubric: { criteria: [{ name: 'j', kind: 'llm_judge' as const, weight: 1, params: { baseUrl: 'http://127.0.0.1:8000/v1', model: 'm', ...params } }] } });
    const [group] = untrustedCriteria(judge({ mode: 'group', groupTemplate: 'Rank these: {completions}', template: 'unused {completion}' }));
    expect(group.code).toBe('POST http://127.0.0.1:8000/v1/chat/completions   (model: m, every completion of a prompt in one request)\n\nRank these: {completions}');
    const [single] = untrustedCriteria(judge({ template: 'Grade {completion}' }));
    expect(single.code).toBe('POST http://127.0.0.1:8000/v1/chat/completions   (model: m)\n\nGrade {completion}');
  });
});
