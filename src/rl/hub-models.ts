// The curated Hub models the picker lists first (any other repo id can be typed). Their figures here are only
// what the picker shows before asking the Hub; the real parameter count and download size come from the
// repo's config.json and file listing when the model is inspected.

export interface CuratedHubModel {
  id: string; // hf:ORG/NAME
  name: string;
  /** Approximate parameter count (the config decides the real one). */
  approxParams: number;
  note: string;
}

export const CURATED_HUB_MODELS: readonly CuratedHubModel[] = [
  { id: 'hf:HuggingFaceTB/SmolLM2-135M-Instruct', name: 'SmolLM2 135M Instruct', approxParams: 134.5e6, note: 'Llama architecture, 49k vocabulary, tied embeddings; the smallest real chat model here.' },
  { id: 'hf:HuggingFaceTB/SmolLM2-360M-Instruct', name: 'SmolLM2 360M Instruct', approxParams: 362e6, note: 'The same family, 2.7x larger.' },
  { id: 'hf:Qwen/Qwen2.5-0.5B-Instruct', name: 'Qwen2.5 0.5B Instruct', approxParams: 494e6, note: 'Qwen2 architecture (q/k/v bias), 152k vocabulary.' },
  { id: 'hf:Qwen/Qwen3-0.6B', name: 'Qwen3 0.6B', approxParams: 596e6, note: 'Qwen3 architecture (q/k norm), thinking and non-thinking chat; untied.' },
];
