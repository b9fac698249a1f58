// Portability: the same workload (workload.mjs) on the built bundle dist/index.js in Node (the
// reference), Chromium (page and Web Worker, via playwright-core), Deno, Bun and Cloudflare workerd,
// plus the README's three examples. All use the baseline SIMD build (inlined bytes, a URL, a file
// URL or a precompiled Module) so the numbers match Node's within 1e-5; Chromium's default
// (relaxed SIMD, FMA rounding) is checked within 1e-4. Threads: Node, Deno, Bun and a cross-origin
// isolated Chromium page and worker start the worker pool by default and a split GEMM equals the
// one-thread product bitwise (threads-check.mjs); a page without isolation and workerd run on one
// thread without error. Every runtime must really run: a missing binary fails with how to install
// it. `npm run build` first (npm test does it).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import * as ag from '../../src/index';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);
type Result = Record<string, unknown>;

function need(path: string, how: string): string {
  if (!existsSync(path)) throw new Error(`portability test: ${path} is missing; install it: ${how}`);
  return path;
}

/** Runs cli.mjs in a command-line runtime and parses its one JSON line. */
async function runCli(cmd: string, args: string[], mode = 'baseline'): Promise<Result> {
  const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DO_NOT_TRACK: '1' };
  const { stdout } = await run(cmd, [...args, 'test/portability/cli.mjs', 'dist/index.js', mode], { cwd: ROOT, env, timeout: 30000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

/** Largest |a - b| over every number in two results of the same shape (also checks the shape). */
function maxAbsDiff(a: Result, ref: Result): number {
  let worst = 0;
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (typeof y === 'number') {
      expect(typeof x, path).toBe('number');
      worst = Math.max(worst, Math.abs((x as number) - y));
    } else if (Array.isArray(y)) {
      expect(Array.isArray(x) && x.length, path).toBe(y.length);
      y.forEach((v, i) => walk((x as unknown[])[i], v, `${path}[${i}]`));
    }
  };
  expect(Object.keys(a).sort()).toEqual(Object.keys(ref).sort());
  for (const k of Object.keys(ref)) if (k !== 'flavor') walk(a[k], ref[k], k);
  return worst;
}

function checkAgainstReference(name: string, r: Result, ref: Result, tol: number): void {
  expect(r.leakedTensors, `${name}: tensors left alive`).toBe(0);
  const d = maxAbsDiff(r, ref);
  console.log(`portability: ${name.padEnd(34)} flavor ${String(r.flavor).padEnd(7)} max |diff| vs Node = ${d.toExponential(2)}`);
  expect(d, `${name}: max abs diff vs Node`).toBeLessThanOrEqual(tol);
}

const freePort = (): Promise<number> => new Promise((res, rej) => {
  const s = createNetServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => res(port));
  }).on('error', rej);
});

let reference: Result;
// The README examples' model: a small iris classifier trained here in Node, its weights as
// safetensors bytes, and Node's probabilities for two flowers (setosa, virginica).
const FLOWERS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]];
let weights: Uint8Array;
let nodeProbs: number[][];

function checkFlowerProbs(name: string, probs: number[][]): void {
  expect(probs.length, name).toBe(2);
  let d = 0;
  probs.forEach((row, i) => row.forEach((v, j) => { d = Math.max(d, Math.abs(v - nodeProbs[i][j])); }));
  console.log(`portability: ${name.padEnd(34)} max |diff| vs Node = ${d.toExponential(2)}`);
  expect(d, name).toBeLessThanOrEqual(1e-4);
  expect(probs[0].indexOf(Math.max(...probs[0])), name).toBe(0); // setosa
  expect(probs[1].indexOf(Math.max(...probs[1])), name).toBe(2); // virginica
}

beforeAll(async () => {
  need(join(ROOT, 'dist/index.js'), 'npm run build');
  need(join(ROOT, 'dist/asgrad.wasm'), 'npm run build (scripts/bundle.mjs writes it)');
  reference = await runCli(process.execPath, []);
  expect(reference.flavor).toBe('simd');
  expect(reference.leakedTensors).toBe(0);
  // The workload really learned: the loss fell and the Keras epoch produced finite numbers.
  const losses = reference.torchLosses as number[];
  expect(losses[19]).toBeLessThan(losses[0] / 2);
  expect(Number.isFinite((reference.kerasLoss as number[])[0])).toBe(true);
  // relu([1, 2, 3]·[[1, -1], [2, 0.5], [-3, 1]] + [0.25, -0.5]) = relu([-3.75, 2.5]); [-1, 0, 1]: relu([-3.75, 1.5])
  expect(reference.tfjsPredict).toEqual([0, 2.5, 0, 1.5]);

  // The README examples' iris classifier: 50 full-batch Adam steps.
  ag.manualSeed(7);
  const { nn, optim } = ag;
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
  const iris = await ag.datasets.iris();
  for (let i = 0; i < 50; i++) {
    ag.tidy(() => {
      const loss = nn.functional.crossEntropy(model.forward(iris.features), iris.labels);
      opt.zeroGrad();
      loss.backward();
      opt.step();
    });
  }
  model.eval();
  weights = ag.stateDictToSafetensors(model.stateDict());
  nodeProbs = ag.tidy(() => ag.noGrad(() => model.forward(ag.tensor(FLOWERS)).softmax(1).toArray() as number[][]));
  model.dispose();
  opt.dispose();
  ag.dispose([iris.features, iris.labels]);

});

it('README.md shows the three examples exactly as these tests run them', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const from = (file: string, start: string, end?: string) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const a = text.indexOf(start);
    return text.slice(a, end === undefined ? undefined : text.indexOf(end, a) + end.length).trimEnd();
  };
  expect(readme).toContain(from('test/portability/readme-node.mjs', 'import * as ag'));
  expect(readme).toContain(from('test/portability/readme-page.html', '<script type="module">', '</script>'));
  expect(readme).toContain(from('test/portability/workerd/readme-worker.mjs', 'import * as ag'));
});

describe('command-line runtimes', () => {
  it("Node: the README's training example (Keras-style MNIST, one epoch)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asgrad-readme-'));
    try {
      const { stdout } = await run(process.execPath, [join(ROOT, 'test/portability/readme-node.mjs')], { cwd: dir, timeout: 60000 });
      const acc = Number(/test accuracy: ([\d.]+)%/.exec(stdout)?.[1]);
      console.log(`portability: Node, README training example      test accuracy ${acc}%`);
      expect(acc).toBeGreaterThan(90);
      expect(existsSync(join(dir, 'mnist-model/model.json')) && existsSync(join(dir, 'mnist-model/weights.safetensors'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Deno (kernels from a file: URL, read through node:fs)', async () => {
    const deno = need(join(BIN, 'deno'), 'npm install (devDependency "deno")');
    checkAgainstReference('Deno', await runCli(deno, ['run', '--allow-read', '--no-lock'], 'file-url'), reference, 1e-5);
  });

  it('Bun', async () => {
    const bun = need(join(BIN, 'bun'), 'npm install (devDependency "bun")');
    checkAgainstReference('Bun', await runCli(bun, []), reference, 1e-5);
  });

  it.each([['Node', () => process.execPath, [] as string[]],
    ['Deno', () => need(join(BIN, 'deno'), 'npm install'), ['run', '--allow-read', '--no-lock']],
    ['Bun', () => need(join(BIN, 'bun'), 'npm install'), []]] as const)('%s: threads by default, split GEMMs bitwise equal, the process exits', async (name, bin, args) => {
    checkThreads(name, await runCli(bin(), [...args], 'threads'), Math.min(availableParallelism(), 4));
  });
});

/** The result of threads-check.mjs where the pool runs `threads` threads (1: no pool). */
function checkThreads(name: string, r: Result, threads: number): void {
  console.log(`portability: ${name.padEnd(34)} threads ${JSON.stringify(r)}`);
  expect(r, name).toEqual({ threads, shared: threads > 1, workers: threads - 1, splits: threads > 1 ? 1 : 0, bitwiseEqual: true });
}

/** Starts `workerd serve CONFIG` on a free port, calls `use(base URL)`, then stops it. */
async function withWorkerd(config: string, cwd: string, use: (base: string) => Promise<void>): Promise<void> {
  const workerd = need(join(BIN, 'workerd'), 'npm install (devDependency "workerd")');
  const port = await freePort();
  let log = '';
  const child: ChildProcess = spawn(workerd, ['serve', config, '--socket-addr', `http=127.0.0.1:${port}`], { cwd });
  child.stdout!.on('data', (d) => { log += d; });
  child.stderr!.on('data', (d) => { log += d; });
  try {
    let up = false;
    for (let i = 0; i < 100 && !up && child.exitCode === null; i++) {
      up = await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' }).then(() => true, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    expect(up, `workerd did not answer on port ${port}:\n${log}`).toBe(true);
    await use(`http://127.0.0.1:${port}/`);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nworkerd log:\n${log}`);
  } finally {
    child.kill();
  }
}

describe('Cloudflare workerd', () => {
  it('runs the workload with the kernels as a precompiled WebAssembly.Module binding', async () => {
    await withWorkerd('test/portability/workerd/config.capnp', ROOT, async (url) => {
      const res = await fetch(url);
      const body = await res.text();
      expect(res.status, body).toBe(200);
      checkAgainstReference('workerd', JSON.parse(body), reference, 1e-5);
    });
  });

  it("the README's Worker example: weights as a data module, inference per request", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asgrad-workerd-'));
    try {
      for (const [from, to] of [['test/portability/workerd/readme-config.capnp', 'config.capnp'],
        ['test/portability/workerd/readme-worker.mjs', 'readme-worker.mjs'], ['dist/index.js', 'index.js'], ['dist/asgrad.wasm', 'asgrad.wasm']]) {
        copyFileSync(join(ROOT, from), join(dir, to));
      }
      writeFileSync(join(dir, 'mlp.safetensors'), weights);
      await withWorkerd('config.capnp', dir, async (url) => {
        for (let i = 0; i < 2; i++) { // the second request reuses the loaded model
          const res = await fetch(url, { method: 'POST', body: JSON.stringify(FLOWERS) });
          const body = await res.text();
          expect(res.status, body).toBe(200);
          checkFlowerProbs(`workerd, README worker (request ${i + 1})`, JSON.parse(body));
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Chromium', () => {
  let browser: BrowserContext; // a persistent context on a new, empty user-data-dir
  let server: Server;
  let base: string;
  let userDataDir: string;

  const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm', '.map': 'application/json' };

  beforeAll(async () => {
    need(CHROMIUM, 'apt-get update && apt-get install -y chromium (as root; .ci/run does it)');
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      // ?coi: cross-origin isolation headers (SharedArrayBuffer, hence threads, in the page or worker).
      const coi = new URL(req.url ?? '/', 'http://x').searchParams.has('coi')
        ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
      const send = (body: Uint8Array | string, type: string) => { res.writeHead(200, { 'content-type': type, ...coi }); res.end(body); };
      if (path === '/') return send(readFileSync(join(ROOT, 'test/portability/readme-page.html')), 'text/html');
      if (path === '/blank.html') return send('<!doctype html><title>asgrad</title>', 'text/html');
      if (path === '/favicon.ico') return res.writeHead(204).end();
      if (path === '/mlp.safetensors') return send(weights, 'application/octet-stream');
      const file = join(ROOT, path);
      if ((path.startsWith('/dist/') || path.startsWith('/test/portability/')) && !path.includes('..') && existsSync(file)) {
        return send(readFileSync(file), TYPES[extname(file)] ?? 'application/octet-stream');
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    userDataDir = mkdtempSync(join(tmpdir(), 'asgrad-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(null)));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** A fresh page (so ready() runs again), with page errors turned into test failures. */
  async function page(url = '/blank.html') {
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await p.goto(base + url);
    return { p, errors };
  }

  async function mainThread(opts: object, url?: string): Promise<Result> {
    const { p, errors } = await page(url);
    try {
      // A string, not a function: vitest would rewrite a function's import() before playwright sends it.
      return await p.evaluate(`(async () => {
        const lib = await import('/dist/index.js');
        const { workload } = await import('/test/portability/workload.mjs');
        return workload(lib, ${JSON.stringify(opts)});
      })()`);
    } finally {
      await p.close();
      expect(errors).toEqual([]);
    }
  }

  it('main thread, baseline SIMD build', async () => {
    checkAgainstReference('Chromium main thread', await mainThread({ relaxedSimd: false }), reference, 1e-5);
  });

  /** The workload in a module Web Worker started by a page at `url`, with ready() options `opts`. */
  async function inWorker(url: string, opts: object): Promise<{ ok?: Result; threads?: Result; error?: string }> {
    const { p, errors } = await page(url);
    try {
      return await p.evaluate((o) => new Promise<{ ok?: Result; threads?: Result; error?: string }>((res, rej) => {
        const w = new Worker(`/test/portability/browser-worker.mjs${location.search}`, { type: 'module' });
        w.onmessage = (e) => { res(e.data); w.terminate(); };
        w.onerror = (e) => rej(new Error(`worker error: ${e.message}`));
        w.postMessage(o);
      }), opts);
    } finally {
      await p.close();
      expect(errors).toEqual([]);
    }
  }

  it('Web Worker (module worker), baseline build fetched by URL', async () => {
    const msg = await inWorker('/blank.html', { wasm: `${base}/dist/asgrad.wasm` });
    expect(msg.error).toBeUndefined();
    checkAgainstReference('Chromium Web Worker', msg.ok!, reference, 1e-5);
  });

  const threadsInPage = `(async () => {
    const lib = await import('/dist/index.js');
    const { workload } = await import('/test/portability/workload.mjs');
    const { threadsCheck } = await import('/test/portability/threads-check.mjs');
    const ok = await workload(lib, { relaxedSimd: false });
    return { ok, threads: await threadsCheck(lib) };
  })()`;

  it('page without cross-origin isolation: one thread, no shared memory, no error', async () => {
    const { p, errors } = await page();
    try {
      const r = await p.evaluate(threadsInPage) as { ok: Result; threads: Result };
      checkAgainstReference('Chromium main thread (not isolated)', r.ok, reference, 1e-5);
      checkThreads('Chromium main thread (not isolated)', r.threads, 1);
    } finally {
      await p.close();
    }
    expect(errors).toEqual([]);
  });

  it('cross-origin isolated page (COOP/COEP): the pool starts, the main thread spins for it', async () => {
    const { p, errors } = await page('/blank.html?coi');
    try {
      expect(await p.evaluate('self.crossOriginIsolated')).toBe(true);
      const r = await p.evaluate(threadsInPage) as { ok: Result; threads: Result };
      checkAgainstReference('Chromium isolated page, threads', r.ok, reference, 1e-5);
      checkThreads('Chromium isolated page', r.threads, Math.min(await p.evaluate('navigator.hardwareConcurrency') as number, 4));
    } finally {
      await p.close();
    }
    expect(errors).toEqual([]);
  });

  it('cross-origin isolated Web Worker: the pool starts from inside the worker', async () => {
    const msg = await inWorker('/blank.html?coi', { relaxedSimd: false, threadsCheck: true });
    expect(msg.error).toBeUndefined();
    checkAgainstReference('Chromium isolated Web Worker, threads', msg.ok!, reference, 1e-5);
    checkThreads('Chromium isolated Web Worker', msg.threads!, Math.min(availableParallelism(), 4));
  });

  it('main thread, default build (relaxed SIMD: FMA rounding, looser tolerance)', async () => {
    const r = await mainThread({});
    expect(r.flavor).toBe('relaxed');
    checkAgainstReference('Chromium main thread (relaxed)', r, reference, 1e-4);
  });

  it("the README's page example: weights as safetensors over HTTP, inference in the page", async () => {
    const { p, errors } = await page('/');
    try {
      await p.waitForFunction(() => document.body.textContent?.startsWith('[['), null, { timeout: 20000 });
      checkFlowerProbs("Chromium, README page example", JSON.parse((await p.textContent('body'))!));
    } finally {
      await p.close();
    }
    expect(errors).toEqual([]);
  });
});
