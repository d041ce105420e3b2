// The rubric preview worker: scores rubric criteria on sample completions off the UI thread (custom code runs
// in QuickJS here, with the same limits as in training). One request at a time; requests replaced while waiting are
// dropped, and the page ignores answers to requests it has replaced. Protocol: preview-protocol.ts.
import { fixedJudgeKeyProvider } from '../rl/rubric/judge-key.ts';
import type { PreviewToUi, UiToPreview } from './preview-protocol.ts';
import { scorePreview } from './preview-score.ts';

const post = (message: PreviewToUi) => self.postMessage(message);

let queue: Promise<void> = Promise.resolve();
/** The newest request: older ones still waiting in the queue are dropped unscored (the page moved on). */
let latest = -1;

self.onmessage = (event: MessageEvent<UiToPreview>) => {
  const message = event.data;
  if (message.type !== 'score') return;
  latest = message.id;
  queue = queue.then(async () => {
    if (message.id !== latest) return;
    try {
      const result = await scorePreview(message.request, { judgeKey: fixedJudgeKeyProvider(message.secrets?.judgeApiKey) });
      post({ type: 'scored', id: message.id, result });
    } catch (e) {
      post({ type: 'scored', id: message.id, result: { ok: false, error: e instanceof Error ? e.message : String(e) } });
    }
  });
};
