// The URL schemes of model.save / loadModel as seen from Node: loadModel over fetch of an http URL
// (bit-exact, weights file resolved relative to model.json, clear HTTP errors), and clear errors for
// the browser-only schemes. The browser side (indexeddb://, downloads://) is in demo.test.ts.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layers, listModels, loadModel, manualSeed, removeModel, sequential, tidy, randn, type LayersModel } from '../../src/index';

let root = '', server: Server, base = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'asgrad-url-'));
  server = createServer(async (req, res) => {
    try {
      const body = await readFile(join(root, decodeURIComponent(new URL(req.url!, 'http://x').pathname)));
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404, 'Not Found').end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(root, { recursive: true, force: true });
});

function smallModel(): LayersModel {
  manualSeed(3);
  const m = sequential({ layers: [layers.dense({ units: 5, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const bits = (m: LayersModel) => m.getWeights().map((w) => Array.from(new Uint32Array(w.data().buffer)));

describe('loadModel over fetch', () => {
  it('loads model.json and the weights it names from an http URL, bit for bit', async () => {
    const m = smallModel();
    await m.save(join(root, 'a', 'b'));
    for (const url of [`${base}/a/b/model.json`, `${base}/a/b/`]) {
      const back = await loadModel(url);
      expect(bits(back)).toEqual(bits(m));
      expect(back.compiled?.config).toEqual({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const same = tidy(() => {
        const x = randn([6, 4]);
        return Array.from(m.predict(x).data()).join() === Array.from(back.predict(x).data()).join();
      });
      expect(same).toBe(true);
      back.dispose();
    }
    m.dispose();
  });

  it('reports HTTP errors and bad files naming the URL', async () => {
    await expect(loadModel(`${base}/nothing/model.json`)).rejects.toThrow(
      new RegExp(`asgrad.loadModel: cannot fetch the model file ${base}/nothing/model.json: HTTP 404 Not Found`));
    const m = smallModel();
    await m.save(join(root, 'c'));
    m.dispose();
    await rm(join(root, 'c', 'weights.safetensors'));
    await expect(loadModel(`${base}/c/model.json`)).rejects.toThrow(/cannot fetch the weights file http:.*\/c\/weights\.safetensors: HTTP 404/);
    await expect(loadModel(`${base}/a/b/weights.safetensors`)).rejects.toThrow(/is not valid JSON/);
  });

  it('rejects the browser-only schemes in Node with a clear error', async () => {
    const m = smallModel();
    await expect(m.save('indexeddb://m')).rejects.toThrow(/'indexeddb:\/\/m' is not supported in this runtime \(it has no indexedDB/);
    await expect(m.save('downloads://m')).rejects.toThrow(/'downloads:\/\/m' needs a page with a document/);
    await expect(m.save(`${base}/up`)).rejects.toThrow(/the scheme of 'http:.*' is not supported by save/);
    await expect(m.save('indexeddb://')).rejects.toThrow(/names no model/);
    await expect(loadModel('indexeddb://m')).rejects.toThrow(/not supported in this runtime/);
    await expect(loadModel('downloads://m')).rejects.toThrow(/the scheme of 'downloads:\/\/m' is not supported by loadModel/);
    await expect(listModels()).rejects.toThrow(/asgrad\.listModels: 'indexeddb:\/\/' is not supported in this runtime/);
    await expect(removeModel('indexeddb://m')).rejects.toThrow(/asgrad\.removeModel: 'indexeddb:\/\/m' is not supported in this runtime/);
    await expect(removeModel('models/m')).rejects.toThrow(/asgrad\.removeModel: expected a URL indexeddb:\/\/name, got 'models\/m'/);
    m.dispose();
  });
});
