// Placeholder: replaced by the Teaching mode work.
export function TeachingPanel() {
  return <p className="placeholder">Teaching mode (coming)</p>;
}
