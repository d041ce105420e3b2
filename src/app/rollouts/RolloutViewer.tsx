// Placeholder: replaced by the Rollout viewer work.
export function RolloutViewer() {
  return <p className="placeholder">Rollout viewer (coming)</p>;
}
