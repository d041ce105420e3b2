// Choose the compute backend (Auto / WebGPU / CPU) before a run, and see which one the worker is using
// and why. When WebGPU is missing, say how to get it in the common browsers.
import { useStore } from '../store.ts';
import type { BackendPreference } from '../../worker/protocol.ts';

const OPTIONS: { value: BackendPreference; label: string }[] = [
  { value: 'auto', label: 'Auto (GPU if available)' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'cpu', label: 'CPU' },
];

const hasWebGpu = typeof navigator !== 'undefined' && 'gpu' in navigator;

export function BackendPicker() {
  const preference = useStore((s) => s.backendPreference);
  const setPreference = useStore((s) => s.setBackendPreference);
  const status = useStore((s) => s.status);
  const note = useStore((s) => s.backendNote);
  const locked = status === 'loading' || status === 'ready' || status === 'training' || status === 'paused';
  return (
    <div className="backend-picker">
      <label htmlFor="backend-select">Compute</label>
      <select
        id="backend-select"
        value={preference}
        disabled={locked}
        onChange={(e) => setPreference(e.target.value as BackendPreference)}
      >
        {OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {note && (
        <p className="hint" data-testid="backend-note">
          {note}
        </p>
      )}
      {!hasWebGpu && (
        <p className="hint">
          This browser has no WebGPU, so training runs on the CPU. WebGPU is on by default in Chrome and Edge 113+
          (desktop) and Safari 26+; in Firefox use 141+ on Windows or enable <code>dom.webgpu.enabled</code>; on
          Linux Chrome, enable <code>chrome://flags/#enable-unsafe-webgpu</code>.
        </p>
      )}
    </div>
  );
}
