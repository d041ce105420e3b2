// The smoothing weight of the train curves (TensorBoard-style EMA, 0 = raw), shared by Charts and Compare.
import { useId } from 'react';
import { useStore } from '../store.ts';

export function SmoothingSlider() {
  const smoothing = useStore((s) => s.smoothing);
  const setSmoothing = useStore((s) => s.setSmoothing);
  const id = useId();
  return (
    <div className="smoothing">
      <label htmlFor={id} title="Exponential moving average of the train curves (debiased, as in TensorBoard); the raw curve stays faint behind">
        Smoothing
      </label>
      <input id={id} type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />
      {/* A span, not <output>: an output is a status region, and the page's one status is the run's. */}
      <span className="range-value" aria-hidden="true">
        {smoothing.toFixed(2)}
      </span>
    </div>
  );
}
