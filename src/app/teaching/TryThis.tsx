// Placeholder: replaced by the Try-this starters work.
export function TryThis() {
  return <p className="placeholder">Try-this starters (coming)</p>;
}
