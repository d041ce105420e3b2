// Placeholder: replaced by the Run compare work.
export function ComparePanel() {
  return <p className="placeholder">Run compare (coming)</p>;
}
