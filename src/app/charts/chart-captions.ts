// One line under each chart: what the curve means and what a healthy one looks like, so a student reading the
// Charts tab knows what to look for. Keyed by chart id (chart-specs.ts); criterion charts share one caption.

const CAPTIONS: Record<string, string> = {
  reward: 'Mean reward of each step’s samples. Healthy: it climbs, noisily, then levels off; flat from step 1 means no signal.',
  eval: 'Greedy answers on held-out prompts (never trained on). Healthy: accuracy rises with reward; reward up and accuracy flat is hacking.',
  kl: 'Distance from the frozen reference. Healthy: small and growing slowly; a spike means the policy jumped.',
  entropy: 'How unsure the model is per token. Healthy: drifts down slowly; a crash towards 0 means the samples collapse to one answer.',
  clip: 'Share of tokens the PPO clip held back. Healthy: near 0 (under ~0.2); high means the learning rate is too big.',
  length: 'Mean completion length in tokens. Healthy: stable; steady growth without better answers is length hacking.',
  'zero-std': 'Groups whose G samples all scored the same teach nothing. Healthy: well under 0.5.',
  'tokens-per-s': 'Throughput of sampling plus the update. Healthy: flat; it only says how fast, not how well.',
  loss: 'The clipped surrogate loss. In GRPO it is not a progress measure: it hovers around 0.',
  'grad-norm': 'Size of the gradient before clipping. Healthy: steady; spikes go with jumps in reward or KL.',
  lr: 'The learning rate the schedule gave each step.',
};

const CRITERION_CAPTION = 'Mean raw score of this criterion (before its weight). Healthy: rises if rewarded; a weight-0 criterion is only watched.';

export function chartCaption(chartId: string): string {
  return CAPTIONS[chartId] ?? (chartId.startsWith('criterion-') ? CRITERION_CAPTION : '');
}
