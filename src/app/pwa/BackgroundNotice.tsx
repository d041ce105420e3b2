// When the tab comes back after a while in the background during a run: how far the run got, and whether the
// browser slowed it down (background-pace.ts). Dismissable; says nothing for short absences or idle pages.
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../store.ts';
import { backgroundVerdict, recentRate, type BackgroundVerdict, type Pace } from './background-pace.ts';

const SAMPLE_WINDOW = 10;

export function BackgroundNotice() {
  const [verdict, setVerdict] = useState<BackgroundVerdict>({ kind: 'none' });
  const samples = useRef<{ t: number; step: number }[]>([]);
  const pace = useRef<Pace | null>(null);

  useEffect(() => {
    // Sample the pace while visible and training (the step counter, not React renders).
    const unsubscribe = useStore.subscribe((s, prev) => {
      if (s.step === prev.step || s.status !== 'training' || document.hidden) return;
      samples.current = [...samples.current, { t: performance.now(), step: s.step }].slice(-SAMPLE_WINDOW);
    });
    const onVisibility = () => {
      const { status, step } = useStore.getState();
      if (document.hidden) {
        pace.current = status === 'training' ? { visibleRate: recentRate(samples.current), hiddenAt: performance.now(), stepAtHide: step } : null;
      } else if (pace.current) {
        setVerdict(backgroundVerdict(pace.current, performance.now(), step));
        pace.current = null;
        samples.current = [];
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  if (verdict.kind === 'none') return null;
  const text =
    verdict.kind === 'throttled'
      ? `While this tab was in the background (${Math.round(verdict.seconds)} s) the run slowed to ${verdict.hiddenRate.toFixed(2)} steps/s from ${verdict.visibleRate.toFixed(2)}: the browser throttled it. Keep the tab visible (or in its own window) for full speed.`
      : `The run kept training while this tab was in the background: ${verdict.steps} steps in ${Math.round(verdict.seconds)} s.`;
  return (
    <div className="pwa-prompt" role="status" data-testid="background-notice">
      <p>{text}</p>
      <button type="button" onClick={() => setVerdict({ kind: 'none' })}>
        OK
      </button>
    </div>
  );
}
