// Import a run file (Export > Whole run) into the run list as a new run; one line says what came in or why not.
import { useState } from 'react';
import { importRunFile } from './run-export.ts';

export function ImportRunButton() {
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <span className="import-run">
      <label>
        Import run…{' '}
        <input
          type="file"
          accept=".zip,application/zip"
          data-testid="import-run"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            importRunFile(file).then(
              (name) => setResult({ ok: true, text: `Imported ${name}.` }),
              (err: unknown) => setResult({ ok: false, text: `Import failed: ${err instanceof Error ? err.message : String(err)}` }),
            );
          }}
        />
      </label>
      {result && (
        <span role={result.ok ? 'status' : 'alert'} data-testid="import-result">
          {result.text}
        </span>
      )}
    </span>
  );
}
