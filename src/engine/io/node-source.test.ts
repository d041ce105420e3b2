import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeDirSource, writeModelFolder } from './node-source.ts';
import { FileSourceError } from './sources.ts';
import { createTinyModel, loadModelFolder, modelFolderFiles } from './model-folder.ts';
import { parseSafetensors, serializeSafetensors } from './safetensors.ts';
import { writeFile } from 'node:fs/promises';

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
    await expect(src.has('.')).rejects.toThrow(/has an empty, '\.' or '\.\.' part/); // not a file of the folder
    const seen: number[] = [];
    expect((await src.readBytes('x.bin', { onProgress: (l) => seen.push(l) })).length).toBe(10);
    expect(seen).toEqual([10]);
    await expect(src.readText('config.json')).rejects.toThrow(FileSourceError);
    await expect(src.readText('config.json')).rejects.toThrow(`${join(dir, 'config.json')} not found`);
  });

  it('a sharded index cannot read files outside the folder: "../x" and "../../../etc/passwd" are refused unread', async () => {
    const parent = await tempDir();
    const dir = join(parent, 'model');
    const m = createTinyModel({ seed: 5 });
    const files = modelFolderFiles(m);
    const weights = files.get('model.safetensors') as Uint8Array;
    files.delete('model.safetensors');
    await writeModelFolder(dir, files);
    await writeFile(join(parent, 'outside.safetensors'), weights); // a valid file, one level up
    const names = [...parseSafetensors(weights).keys()];
    for (const target of ['../outside.safetensors', '../../../../../../etc/passwd', '/etc/passwd', 'sub/../../outside.safetensors', 'a\\..\\..\\x']) {
      const weightMap = Object.fromEntries(names.map((n) => [n, target]));
      await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: weightMap }));
      let message = '';
      try {
        await loadModelFolder(nodeDirSource(dir));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, target).toMatch(/a model folder may only name files inside itself/);
      expect(message).not.toMatch(/bytes|root:/); // nothing of the outside file's size or content
    }
    const inside = Object.fromEntries(names.map((n) => [n, 'shards/model.safetensors']));
    await writeModelFolder(join(dir, 'shards'), new Map([['model.safetensors', serializeSafetensors([...parseSafetensors(weights)].map(([name, t]) => ({ name, shape: t.shape, data: t.data })))]]));
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: inside }));
    expect((await loadModelFolder(nodeDirSource(dir))).params.length).toBe(m.params.length); // a subfolder is inside
  });
});
