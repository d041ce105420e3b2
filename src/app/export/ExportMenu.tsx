// A run's Export menu: metrics (JSONL like the CLI log, CSV with TRL's names), rollouts (JSONL), the trained
// model (a zipped Hugging Face folder; a LoRA run also its PEFT adapter), the whole run (one file that Import restores) and the run as a Python
// project for TRL or verifiers (python-project.ts). One line on failure.
import { useState } from 'react';
import type { RunRecord } from '../store/runs.ts';
import { exportPythonProject } from './python-project.ts';
import { exportAdapterZip, exportMetricsCsv, exportMetricsJsonl, exportModelZip, exportRollouts, exportRunFile } from './run-export.ts';

const ITEMS: { label: string; act: (run: RunRecord) => void | Promise<void>; when?: (run: RunRecord) => boolean }[] = [
  { label: 'Metrics (JSONL)', act: exportMetricsJsonl },
  { label: 'Metrics (CSV)', act: exportMetricsCsv },
  { label: 'Rollouts (JSONL)', act: exportRollouts },
  { label: 'Model (Hugging Face .zip)', act: exportModelZip },
  // A LoRA run: its adapter alone, which PeftModel.from_pretrained(base, folder) reads; the model above is merged.
  { label: 'LoRA adapter (PEFT .zip)', act: exportAdapterZip, when: (run) => run.config.lora !== undefined },
  { label: 'Whole run (.zip)', act: exportRunFile },
  { label: 'Python project for TRL (.zip)', act: (run) => exportPythonProject(run, 'trl') },
  { label: 'Python project for verifiers (.zip)', act: (run) => exportPythonProject(run, 'verifiers') },
];

export function ExportMenu({ run }: { run: RunRecord }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <details className="export-menu">
      <summary aria-label={`Export ${run.name || run.id}`}>Export</summary>
      <ul>
        {ITEMS.filter((item) => item.when?.(run) ?? true).map((item) => (
          <li key={item.label}>
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => {
                setBusy(item.label);
                setProblem(null);
                Promise.resolve()
                  .then(() => item.act(run))
                  .catch((e: unknown) => setProblem(e instanceof Error ? e.message : String(e)))
                  .finally(() => setBusy(null));
              }}
            >
              {busy === item.label ? `${item.label}…` : item.label}
            </button>
          </li>
        ))}
      </ul>
      {problem && <p role="alert">{problem}</p>}
    </details>
  );
}
