// Reward-hacking warnings from the trainer, shown above the reward chart where the user is looking.
import { useStore } from '../store.ts';

export function HackingWarnings() {
  const warnings = useStore((s) => s.warnings);
  if (warnings.length === 0) return null;
  return (
    <ul className="warnings" role="alert" aria-label="Reward-hacking warnings">
      {warnings.map((w) => (
        <li key={`${w.kind}-${w.step}`}>
          <strong>Step {w.step}:</strong> {w.message}
        </li>
      ))}
    </ul>
  );
}
