// Placeholder: replaced by the Model, task, rubric and hyperparameter panels work.
export function ConfigPanels() {
  return <p className="placeholder">Model, task, rubric and hyperparameter panels (coming)</p>;
}
