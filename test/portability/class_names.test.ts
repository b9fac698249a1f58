// The bundle is minified without keepNames (scripts/bundle.mjs): the exported classes must still
// carry their names, since Module.toString and errors print them. Runs on the built dist/index.js
// in a child process (tests import src/, where the names are never mangled).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve(__dirname, '../../dist/index.js');

const script = `
const ag = await import(${JSON.stringify(DIST)});
await ag.ready();
const wrong = [];
const walk = (o, path, depth) => {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'function' && /^[A-Z]/.test(k) && v.prototype) { if (v.name !== k && k !== 'LayersModel') wrong.push(path + k + ' is ' + v.name); }
    else if (v && typeof v === 'object' && !Array.isArray(v) && depth < 3) walk(v, path + k + '.', depth + 1);
  }
};
walk(ag, '', 0);
const m = new ag.nn.Sequential(new ag.nn.Linear(2, 3), new ag.nn.ReLU());
const k = ag.sequential({ layers: [ag.layers.dense({ units: 2, inputShape: [3] })] });
console.log(JSON.stringify({ wrong, torch: String(m), keras: String(k).split('\\n')[0], alias: ag.LayersModel.name }));
m.dispose(); k.dispose();
`;

describe('dist/index.js: class names survive minification', () => {
  it('every exported class is named as exported, and modules print PyTorch-style names', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split('\n').pop()!);
    expect(out.wrong).toEqual([]);
    expect(out.torch).toBe('Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)');
    expect(out.keras).toBe('Sequential(');
    expect(out.alias).toBe('Sequential');
  });
});
