// The key to the token colours: the log-probability ramp or the advantage signs, plus the masked and
// context styles.
import { ADVANTAGE_COLORS, LOGPROB_FLOOR, logprobColor, type ColorMode } from './token-style.ts';

export function TokenLegend({ mode }: { mode: ColorMode }) {
  return (
    <ul className="token-legend" aria-label="Token colours">
      {mode === 'logprob' ? (
        <li>
          <span>likely (p 1)</span>
          <span className="legend-ramp" aria-hidden="true">
            {[0, 1, 2, 3, 4, 5, 6].map((i) => (
              <span key={i} style={{ background: logprobColor((LOGPROB_FLOOR * i) / 6) }} />
            ))}
          </span>
          <span>unlikely (p ≤ {Math.exp(LOGPROB_FLOOR).toFixed(4)})</span>
        </li>
      ) : (
        <>
          <li>
            <span className="legend-chip" style={{ background: ADVANTAGE_COLORS.positive }} aria-hidden="true" /> advantage &gt; 0 (pushed up)
          </li>
          <li>
            <span className="legend-chip" style={{ background: ADVANTAGE_COLORS.negative }} aria-hidden="true" /> advantage &lt; 0 (pushed down)
          </li>
          <li>
            <span className="legend-chip" style={{ background: ADVANTAGE_COLORS.zero }} aria-hidden="true" /> zero (no signal)
          </li>
        </>
      )}
      <li>
        <span className="token token-masked legend-sample">masked</span> written, not in the loss
      </li>
      <li>
        <span className="token token-context legend-sample">context</span> not written by the policy
      </li>
      <li>
        <span className="token token-special legend-sample">&lt;|end|&gt;</span> special token
      </li>
    </ul>
  );
}
