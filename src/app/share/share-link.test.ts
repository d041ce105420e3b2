import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { defaultRunConfig, parseRunConfig, type RunConfig } from '../../rl/config/schema.ts';
import { DEFAULT_PRESET, getPreset } from '../../rl/presets.ts';
import { decodeShareUrl, MAX_SHARE_PAYLOAD } from '../../rl/config/share.ts';
import { hiddenControls } from '../classroom.ts';
import { CURVES_PARAM, summarizeCurves } from './curves.ts';
import { initialConfig } from './initial-config.ts';
import { buildShareLink, hashWithoutShare, openShareLink } from './share-link.ts';
import { linkState } from './share-link-store.ts';
import { untrustedCriteria, withoutUntrustedCriteria } from './untrusted.ts';

const BASE = 'http://localhost:5173/';
const hashOf = (url: string) => new URL(url).hash;

function changedConfig(): RunConfig {
  const c = defaultRunConfig();
  c.grpo.learningRate = 0.005;
  c.task.evalSize = 4;
  return c;
}

function withCode(): RunConfig {
  const c = changedConfig();
  c.rubric.criteria = [
    { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
    { name: 'short', kind: 'custom_code', weight: 0.5, params: { code: 'return completion.length < 20 ? 1 : 0' } },
    { name: 'digits', kind: 'regex', weight: 0.1, params: { pattern: '\\d+', flags: 'i' } },
  ];
  return parseRunConfig(c);
}

const curves = summarizeCurves(
  Array.from({ length: 100 }, (_, i) => ({ step: i + 1, metrics: { reward: i / 100, 'rewards/correct_answer/mean': i / 200 } })),
  [{ step: 0, metrics: { 'eval/accuracy': 0.1 } }, { step: 100, metrics: { 'eval/accuracy': 0.6 } }],
);

describe('buildShareLink / openShareLink', () => {
  it('round-trips config, curves and classroom controls', () => {
    const url = buildShareLink(`${BASE}#old=1`, { config: changedConfig(), curves, hide: ['rubric', 'model'] });
    expect(url).not.toContain('old=1');
    const link = openShareLink(hashOf(url));
    expect(link).toMatchObject({ present: true, configError: null, curvesError: null });
    expect(link.config).toEqual(changedConfig());
    expect(link.curves).toEqual(curves);
    expect([...hiddenControls(hashOf(url))].sort()).toEqual(['model', 'rubric']);
    // The CLI's --url reads the same link.
    expect(decodeShareUrl(url)).toEqual(changedConfig());
  });

  it('leaves out curves when there are none, and hide= when nothing is hidden', () => {
    const url = buildShareLink(BASE, { config: changedConfig(), curves: { train: [], evals: [] } });
    expect(url).not.toContain(`${CURVES_PARAM}=`);
    expect(url).not.toContain('hide=');
    expect(openShareLink(hashOf(url)).curves).toBeNull();
  });

  it('a bad curves part drops only the curves, with its own message', () => {
    const url = buildShareLink(BASE, { config: changedConfig(), curves });
    const broken = url.replace(/curves=[^&]*/, 'curves=garbage!!');
    const link = openShareLink(hashOf(broken));
    expect(link.config).toEqual(changedConfig());
    expect(link.curves).toBeNull();
    expect(link.curvesError).toMatch(/curve summary is corrupted/);
    expect(link.configError).toBeNull();
  });

  it('a bad run part loses the curves too (they would describe a run the page cannot show)', () => {
    const link = openShareLink(`#run=broken&curves=whatever`);
    expect(link).toMatchObject({ present: true, config: null, curves: null, curvesError: null });
    expect(link.configError).toMatch(/corrupted/);
  });

  it('oversized and unknown-version links give one message', () => {
    expect(openShareLink(`#run=${'A'.repeat(MAX_SHARE_PAYLOAD + 1)}`).configError).toMatch(/too long/);
    const newer = `#run=${LZString.compressToEncodedURIComponent('{"version":2}')}`;
    expect(openShareLink(newer).configError).toMatch(/^share link made by a newer version of GRPO Playground/);
  });

  it('a hash without run= is not a share link (classroom-only links are fine)', () => {
    expect(openShareLink('#hide=rubric')).toMatchObject({ present: false, config: null, configError: null });
    expect(openShareLink('')).toMatchObject({ present: false });
  });

  it('hashWithoutShare keeps the classroom part only', () => {
    expect(hashWithoutShare('#run=abc&curves=def&hide=rubric,model')).toBe('hide=rubric,model');
    expect(hashWithoutShare('#run=abc')).toBe('');
  });
});

describe('untrusted criteria (code from a link needs consent)', () => {
  it('finds custom_code, regex and llm_judge criteria and shows their code as text', () => {
    const c = withCode();
    c.rubric.criteria.push({ name: 'judge', kind: 'llm_judge', weight: 1, params: { baseUrl: 'https://judge.example/v1' } });
    const found = untrustedCriteria(parseRunConfig(c));
    expect(found.map((f) => [f.name, f.kind])).toEqual([
      ['short', 'custom_code'],
      ['digits', 'regex'],
      ['judge', 'llm_judge'],
    ]);
    expect(found[0].code).toBe('return completion.length < 20 ? 1 : 0');
    expect(found[1].code).toContain('/\\d+/i');
    expect(found[2].code).toContain('POST https://judge.example/v1/chat/completions');
  });

  it('shows the default code of a custom_code criterion that relies on it', () => {
    const c = defaultRunConfig();
    c.rubric.criteria = [{ name: 'c', kind: 'custom_code', weight: 1, params: {} }];
    expect(untrustedCriteria(c)[0].code).toBe('return completion.includes(answer) ? 1 : 0');
  });

  it('finds nothing in the default rubric', () => {
    expect(untrustedCriteria(defaultRunConfig())).toEqual([]);
  });

  it('declining removes exactly those criteria (the rest of the run is kept)', () => {
    const d = withoutUntrustedCriteria(withCode());
    expect(d.removed).toEqual(['short', 'digits']);
    expect(d.rubricReset).toBe(false);
    expect(d.config.rubric.criteria.map((c) => c.name)).toEqual(['correct_answer']);
    expect(d.config.grpo.learningRate).toBe(0.005);
    expect(parseRunConfig(d.config)).toEqual(d.config);
  });

  it('declining a rubric made only of code falls back to the default rubric', () => {
    const c = defaultRunConfig();
    c.rubric.criteria = [{ name: 'c', kind: 'custom_code', weight: 1, params: {} }];
    const d = withoutUntrustedCriteria(c);
    expect(d.rubricReset).toBe(true);
    expect(d.config.rubric).toEqual(defaultRunConfig().rubric);
    expect(parseRunConfig(d.config)).toEqual(d.config);
  });
});

describe('opening a link at page load', () => {
  it('applies a link without code at once, curves included', () => {
    const url = buildShareLink(BASE, { config: changedConfig(), curves });
    expect(initialConfig(hashOf(url))).toEqual({ config: changedConfig(), shareError: null, sharedCurves: curves });
    expect(linkState(openShareLink(hashOf(url)), false).pending).toBeNull();
  });

  it('keeps a config with code out of the run config until the user accepts', () => {
    const url = buildShareLink(BASE, { config: withCode(), curves });
    const init = initialConfig(hashOf(url));
    expect(init.config).toEqual(getPreset(DEFAULT_PRESET));
    expect(init.shareError).toBeNull();
    expect(init.sharedCurves).toEqual(curves);
    const state = linkState(openShareLink(hashOf(url)), false);
    expect(state.pending?.config).toEqual(withCode());
    expect(state.pending?.untrusted.map((u) => u.name)).toEqual(['short', 'digits']);
    expect(state.pending?.replacesWork).toBe(false);
  });

  it('a bad link keeps the default config and says why', () => {
    const init = initialConfig('#run=garbage');
    expect(init.config).toEqual(getPreset(DEFAULT_PRESET));
    expect(init.shareError).toMatch(/corrupted/);
    const state = linkState(openShareLink('#run=garbage'), false);
    expect(state).toMatchObject({ pending: null, errorKeptWork: false });
  });

  it('a link pasted into an open page always asks before replacing the settings', () => {
    const url = buildShareLink(BASE, { config: changedConfig() });
    const state = linkState(openShareLink(hashOf(url)), true);
    expect(state.pending).toMatchObject({ untrusted: [], replacesWork: true });
    expect(linkState(openShareLink('#run=bad'), true)).toMatchObject({ pending: null, errorKeptWork: true });
  });
});

describe('the consent store', () => {
  it('accept applies the link (and its curves); decline applies it without the code; keep changes nothing', async () => {
    const { useShareLink } = await import('./share-link-store.ts');
    const { useStore } = await import('../store.ts');
    const open = (config: RunConfig, replacesWork: boolean) =>
      useShareLink.setState(linkState(openShareLink(hashOf(buildShareLink(BASE, { config, curves }))), replacesWork));

    open(withCode(), false);
    expect(useStore.getState().config).toEqual(getPreset(DEFAULT_PRESET));
    useShareLink.getState().accept();
    expect(useStore.getState().config).toEqual(withCode());
    expect(useStore.getState().sharedCurves).toEqual(curves);
    expect(useShareLink.getState()).toMatchObject({ pending: null, outcome: expect.stringMatching(/loaded with its code/) });

    useStore.getState().setConfig(defaultRunConfig());
    open(withCode(), false);
    useShareLink.getState().decline();
    expect(useStore.getState().config.rubric.criteria.map((c) => c.name)).toEqual(['correct_answer']);
    expect(useStore.getState().config.grpo.learningRate).toBe(0.005);
    expect(useShareLink.getState().outcome).toBe("The linked run is loaded without its code: removed 'short', 'digits'.");

    const mine = { ...defaultRunConfig(), steps: 3 };
    useStore.getState().setConfig(mine);
    open(changedConfig(), true);
    useShareLink.getState().keepCurrent();
    expect(useStore.getState().config).toEqual(mine);
    expect(useShareLink.getState().pending).toBeNull();
  });
});
