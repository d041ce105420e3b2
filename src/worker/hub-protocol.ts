// Messages between the page and the Hub worker (hub.worker.ts), which inspects Hub models before they download,
// downloads them into the browser's verified model cache with progress and Cancel, and lists and deletes cached
// models. Plain data only; the token is kept in memory by the page and sent per request, never stored.
import type { ModelConfig } from '../engine/config.ts';

export interface HubAccess {
  /** Default https://huggingface.co (a mirror, or the tests' local server). */
  endpoint?: string;
  token?: string;
}

/** Page -> Hub worker. `id` pairs each reply with its request. */
export type UiToHub =
  | { type: 'inspect'; id: number; modelId: string; access: HubAccess }
  | { type: 'download'; id: number; modelId: string; access: HubAccess }
  | { type: 'cancel'; id: number }
  | { type: 'list'; id: number }
  | { type: 'delete'; id: number; repo: string; commit?: string };

export interface HubInspection {
  modelId: string;
  repo: string;
  commit: string;
  params: number | null;
  downloadBytes: number | null;
  dtypes: string | null;
  headerNote: string;
  /** The engine's refusal of the config, as one line (null when it can run the model). */
  refusal: string | null;
  cached: boolean;
  online: boolean;
  /** The parsed config.json (null when refused): the page plans the run's memory from it (rl/plan-verdict.ts). */
  modelConfig: ModelConfig | null;
}

export interface CachedModelView {
  repo: string;
  commit: string;
  revisions: string[];
  files: number;
  bytes: number;
  complete: boolean;
}

export interface StorageView {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

/** Hub worker -> page. */
export type HubToUi =
  | { type: 'inspected'; id: number; inspection: HubInspection }
  | { type: 'progress'; id: number; file: string; loaded: number; total?: number; bytesPerSecond: number; etaSeconds?: number }
  | { type: 'downloaded'; id: number; modelId: string; commit: string; persisted?: boolean }
  | { type: 'cache'; id: number; models: CachedModelView[]; storage: StorageView }
  /** One sentence; `cancelled` when the user pressed Cancel. */
  | { type: 'failed'; id: number; message: string; cancelled?: boolean };
