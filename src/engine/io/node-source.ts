// Model folders on a local disk (Node only: the CLI and tests). Kept apart from sources.ts so that the browser
// bundle never imports node:fs.
import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { checkFolderFileName, FileSourceError, type FileSource, type ReadOptions } from './sources.ts';

/** Read files from a directory. Files are read whole into a fresh Uint8Array (no 2 GiB readFile limit). */
export function nodeDirSource(dir: string): FileSource {
  const root = resolve(dir);
  /** The path of a file the folder names, never outside the folder (checkFolderFileName, then the joined path). */
  const pathOf = (name: string) => {
    checkFolderFileName(name, root);
    const path = join(root, name);
    const rel = relative(root, path);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..') throw new FileSourceError(`file name ${JSON.stringify(name)} leaves the model folder ${root}`);
    return path;
  };

  async function readBytes(name: string, opts: ReadOptions = {}): Promise<Uint8Array> {
    const path = pathOf(name);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FileSourceError(code === 'ENOENT' ? `${path} not found` : `cannot open ${path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      const { size } = await handle.stat();
      const out = new Uint8Array(size);
      const chunk = 1 << 26;
      let pos = 0;
      while (pos < size) {
        opts.signal?.throwIfAborted();
        const { bytesRead } = await handle.read(out, pos, Math.min(chunk, size - pos), pos);
        if (bytesRead === 0) throw new FileSourceError(`${path} ended after ${pos} of ${size} bytes`);
        pos += bytesRead;
        opts.onProgress?.(pos, size);
      }
      if (size === 0) opts.onProgress?.(0, 0);
      return out;
    } finally {
      await handle.close();
    }
  }

  return {
    describe: root,
    readBytes,
    async readText(name) {
      return new TextDecoder().decode(await readBytes(name));
    },
    async has(name) {
      const path = pathOf(name); // a name leaving the folder is an error, not a missing file
      try {
        return (await stat(path)).isFile();
      } catch {
        return false;
      }
    },
  };
}

/** Write a model folder (as produced by modelFolderFiles) into `dir`, creating it if needed. */
export async function writeModelFolder(dir: string, files: Map<string, Uint8Array | string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of files) await writeFile(join(dir, name), content);
}
