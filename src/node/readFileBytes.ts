// Reads a whole file into one buffer in chunks: fs.readFileSync refuses files over 2 GiB.
import * as fs from 'fs';

const CHUNK = 256 * 1024 * 1024;

export async function readFileBytes(path: string): Promise<Uint8Array> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const { size } = await handle.stat();
    const out = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(out, offset, Math.min(CHUNK, size - offset), offset);
      if (bytesRead === 0) throw new Error(`${path}: file shrank while reading (${offset} of ${size} bytes)`);
      offset += bytesRead;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** Size and modification time (ms since the epoch), as VS Code's FileStat has them. */
export async function statFile(path: string): Promise<{ size: number; mtime: number }> {
  const st = await fs.promises.stat(path);
  return { size: st.size, mtime: st.mtimeMs };
}
