// The LLM judge's API key: a password field bound to the in-memory secrets store (src/app/secrets.ts). It is
// never written to the run config, a share link or storage; the run sends it to the worker with Train.
import { useSecrets } from '../secrets.ts';

export function JudgeKeyField({ id }: { id: string }) {
  const key = useSecrets((s) => s.judgeApiKey ?? '');
  const setKey = useSecrets((s) => s.setJudgeApiKey);
  return (
    <div className="field field-inline">
      <div className="field-row">
        <label htmlFor={id}>API key</label>
        <input
          id={id}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          placeholder="sk-…"
          aria-describedby={`${id}-help`}
          onChange={(e) => setKey(e.target.value)}
        />
      </div>
      <p className="field-help" id={`${id}-help`}>
        Kept in this tab's memory only: never stored or shared (not in the config or a share link). Sent only to the
        judge's endpoint.
      </p>
    </div>
  );
}
