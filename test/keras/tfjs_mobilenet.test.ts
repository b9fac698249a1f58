// A real pretrained TensorFlow.js layers model: nsfwjs 4.3.0's MobileNetV2 (Keras 2.2.4 functional
// model, 162 layers, uint8-quantized weights; fetched by scripts/fetch-nsfwjs.sh), loaded with
// loadLayersModel and run on real photos (Debian darknet's samples) against tfjs-layers 4.22 on
// the cpu backend with the same weights and the same input tensor.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadLayersModel, tensor, type Tensor } from '../../src/index';

const DIR = resolve(__dirname, '../../.cache/nsfwjs'), PHOTOS = resolve(__dirname, '../../.cache/photos');
const CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

function need(file: string): string {
  if (!existsSync(file)) throw new Error(`missing ${file}: run scripts/fetch-nsfwjs.sh`);
  return file;
}

/** The photo as nsfwjs feeds it: RGB / 255, resized bilinearly to 224x224 (tfjs's resizeBilinear), [1, 224, 224, 3]. */
function photo(name: string): Float32Array {
  const img = jpeg.decode(readFileSync(need(resolve(PHOTOS, name))), { useTArray: true });
  const rgb = new Float32Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) for (let c = 0; c < 3; c++) rgb[3 * i + c] = img.data[4 * i + c] / 255;
  return tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(rgb, [1, img.height, img.width, 3]), [224, 224]).dataSync() as Float32Array);
}

describe('loadLayersModel: nsfwjs MobileNetV2 (a Keras functional model) on real photos', () => {
  it('matches tfjs-layers on the same photos, and classifies them as Neutral', async () => {
    await tf.setBackend('cpu');
    const json = JSON.parse(readFileSync(need(resolve(DIR, 'model.json')), 'utf8'));
    const shard = readFileSync(need(resolve(DIR, 'group1-shard1of1')));
    const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength);
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
    const ours = await loadLayersModel(resolve(DIR, 'model.json'));
    try {
      for (const name of ['dog.jpg', 'eagle.jpg', 'horses.jpg']) {
        const x = photo(name);
        const want = tf.tidy(() => (theirs.predict(tf.tensor4d(x, [1, 224, 224, 3])) as tf.Tensor).dataSync() as Float32Array);
        const input = tensor(x, [1, 224, 224, 3]);
        const y = ours.predict(input) as Tensor;
        const got = y.data() as Float32Array;
        input.dispose();
        y.dispose();
        expect(got.length).toBe(5);
        for (let i = 0; i < 5; i++) expect(Math.abs(got[i] - want[i]), `${name} ${CLASSES[i]}`).toBeLessThan(1e-4);
        expect(CLASSES[got.indexOf(Math.max(...got))], name).toBe('Neutral');
      }
    } finally {
      ours.dispose();
      theirs.dispose();
    }
  }, 120000);
});
