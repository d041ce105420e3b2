import { describe, expect, it } from 'vitest';
import { enabledControls } from './control-rules.ts';

const on = (status: Parameters<typeof enabledControls>[0], hasRun = true) =>
  Object.entries(enabledControls(status, hasRun))
    .filter(([, v]) => v)
    .map(([k]) => k);

describe('enabledControls', () => {
  it('follows the run status', () => {
    expect(on('idle', false)).toEqual(['train', 'step']);
    expect(on('loading')).toEqual(['stop', 'reset']);
    expect(on('training')).toEqual(['pause', 'stop', 'reset']);
    expect(on('paused')).toEqual(['resume', 'step', 'stop', 'reset']);
    expect(on('done')).toEqual(['train', 'step', 'reset']);
    expect(on('error')).toEqual(['train', 'step', 'reset']);
  });
});
