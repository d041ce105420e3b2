// Placeholder: replaced by the Live charts work.
export function ChartsPanel() {
  return <p className="placeholder">Live charts (coming)</p>;
}
