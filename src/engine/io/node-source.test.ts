import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeDirSource, writeModelFolder } from './node-source.ts';
import { FileSourceError } from './sources.ts';
import { createTinyModel, loadModelFolder, modelFolderFiles } from './model-folder.ts';

describe('node filesystem model folders', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const d = await mkdtemp(join(tmpdir(), 'grpo-model-'));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes a folder with writeModelFolder and reads it back with nodeDirSource', async () => {
    const m = createTinyModel({ seed: 21, config: { model_type: 'qwen3', head_dim: 32, tie_word_embeddings: false } });
    const dir = join(await tempDir(), 'nested', 'out');
    await writeModelFolder(dir, modelFolderFiles(m));
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const loaded = await loadModelFolder(nodeDirSource(dir));
    expect(loaded.config).toEqual(m.config);
    expect(loaded.params.every((x, i) => Object.is(x, m.params[i]))).toBe(true);
    expect(loaded.tokenizer.decode(loaded.tokenizer.encode('<answer> 7 </answer>'))).toBe('<answer> 7 </answer>');
  });

  it('reports missing files by path and progress while reading', async () => {
    const dir = await tempDir();
    await writeModelFolder(dir, new Map<string, Uint8Array | string>([['x.bin', new Uint8Array(10)]]));
    const src = nodeDirSource(dir);
    expect(await src.has('x.bin')).toBe(true);
    expect(await src.has('y.bin')).toBe(false);
    expect(await src.has('.')).toBe(false); // a directory is not a file
    const seen: number[] = [];
    expect((await src.readBytes('x.bin', { onProgress: (l) => seen.push(l) })).length).toBe(10);
    expect(seen).toEqual([10]);
    await expect(src.readText('config.json')).rejects.toThrow(FileSourceError);
    await expect(src.readText('config.json')).rejects.toThrow(`${join(dir, 'config.json')} not found`);
  });
});
