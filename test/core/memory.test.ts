// Lifetime as TensorFlow.js users know it: dispose, tidy (nested, returning containers), keep,
// memory(), disposed-tensor errors, and a 1,000-step training-like loop with flat memory.
import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as ag from '../../src/index';

/** A full garbage collection (V8's gc(), exposed to a fresh context). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('memory', () => {
  it('the safety net frees handles collected without dispose: made outside tidy, returned from it, kept in it', async () => {
    const m0 = ag.memory();
    (() => {
      ag.zeros([16]);
      ag.tidy(() => ag.ones([8]).add(1));
      ag.tidy(() => { ag.keep(ag.zeros([4]).reshape(2, 2)); });
    })();
    const m1 = ag.memory();
    expect([m1.numTensors - m0.numTensors, m1.numDataBuffers - m0.numDataBuffers]).toEqual([3, 3]);
    for (let i = 0; i < 100 && ag.memory().numTensors > m0.numTensors; i++) {
      collectGarbage();
      await new Promise((r) => setTimeout(r, 5));
    }
    const m = ag.memory();
    expect([m.numTensors, m.numDataBuffers, m.numBytes]).toEqual([m0.numTensors, m0.numDataBuffers, m0.numBytes]);
  });

  it('an op with a scalar operand, outside tidy, arms the net for its result only and frees its temporaries when it throws', async () => {
    const x = ag.ones([3]), cond = ag.tidy(() => ag.ones([2]).gt(0));
    const m0 = ag.memory();
    // The scalar's tensor and its expanded view are transient: made and freed inside the op.
    let made = 0;
    (() => { x.mul(2); ag.maximum(3, x); x.lt(1); made = ag.memory().numTensors - m0.numTensors; })();
    expect(made).toBe(3);
    for (let i = 0; i < 100 && ag.memory().numTensors > m0.numTensors; i++) {
      collectGarbage();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(ag.memory().numTensors).toBe(m0.numTensors);
    // Failing after the scalar's temporaries exist (the int divisor 0 in the kernel's op, the where
    // shapes) leaves nothing behind.
    const xi = ag.tensor([1, 2], { dtype: 'int32' });
    expect(() => ag.fmod(xi, 0)).toThrow(/fmod/);
    expect(() => ag.where(cond, x, 2)).toThrow(/where/);
    expect(ag.memory().numTensors).toBe(m0.numTensors + 1);
    ag.dispose([x, cond, xi]);
  });

  it('a handle tidy still holds is not collected; disposing a registered handle disarms its safety net', async () => {
    const m0 = ag.memory();
    let inScope = -1;
    ag.tidy(() => {
      (() => { ag.zeros([3]); })();
      collectGarbage();
      inScope = ag.memory().numTensors - m0.numTensors;
    });
    expect(inScope).toBe(1);
    const t = ag.zeros([5]);
    t.dispose();
    collectGarbage();
    await new Promise((r) => setTimeout(r, 5));
    const m = ag.memory();
    // A second release by the finalizer would drive the counts below the baseline.
    expect([m.numTensors, m.numDataBuffers]).toEqual([m0.numTensors, m0.numDataBuffers]);
  });

  it('dispose and memory() counts; views share storage', () => {
    const m0 = ag.memory();
    const a = ag.zeros([10]);
    const v = a.reshape(2, 5);
    let m = ag.memory();
    expect([m.numTensors - m0.numTensors, m.numDataBuffers - m0.numDataBuffers, m.numBytes - m0.numBytes]).toEqual([2, 1, 40]);
    a.dispose();
    expect(v.toArray()).toEqual([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]); // storage lives while a view does
    a.dispose(); // twice is a no-op
    v.dispose();
    m = ag.memory();
    expect([m.numTensors, m.numDataBuffers, m.numBytes]).toEqual([m0.numTensors, m0.numDataBuffers, m0.numBytes]);
    expect(m.heapBytes).toBeGreaterThan(0);
  });

  it('tidy frees intermediates, keeps returned arrays/objects and kept tensors; nests', () => {
    const m0 = ag.memory().numTensors;
    const outside = ag.ones([2]);
    let kept!: ag.Tensor;
    const r = ag.tidy(() => {
      const a = ag.ones([2]).mul(2);
      kept = ag.keep(a.add(1));
      const inner = ag.tidy(() => {
        const b = a.mul(3);
        return { b, list: [b.add(1), outside] };
      });
      expect(inner.b.isDisposed).toBe(false);
      return { x: inner.b.add(inner.list[0]), same: inner.list[1], arr: [a] };
    });
    expect(r.x.toArray()).toEqual([13, 13]);
    expect(r.arr[0].isDisposed).toBe(false);
    expect(kept.toArray()).toEqual([3, 3]);
    // Returning a tensor from outside the scope does not hand it to the enclosing scope.
    ag.tidy(() => ag.tidy(() => outside));
    expect(outside.isDisposed).toBe(false);
    expect(ag.memory().numTensors - m0).toBe(4); // outside, kept, r.x, r.arr[0]
    ag.dispose([outside, kept, r]);
    expect(ag.memory().numTensors).toBe(m0);
  });

  it('tidy frees what it created when fn throws, and rejects promises', () => {
    const m0 = ag.memory().numTensors;
    expect(() => ag.tidy(() => { ag.ones([3]); throw new Error('boom'); })).toThrow('boom');
    expect(ag.memory().numTensors).toBe(m0);
    expect(() => ag.tidy((async () => ag.ones([1])) as never)).toThrow(/Promise/);
    expect(() => ag.tidy(() => { ag.ones([1]); return Promise.resolve(1); })).toThrow(/Promise/);
    expect(ag.memory().numTensors).toBe(m0);
  });

  it('using a disposed tensor throws a clear error', () => {
    const a = ag.ones([2, 3]);
    a.dispose();
    expect(() => a.add(1)).toThrow(/asgrad\.add: the tensor was disposed \(shape \[2, 3\], float32\)/);
    expect(() => a.data()).toThrow(/disposed/);
    expect(() => a.exp()).toThrow(/exp.*disposed/);
    expect(() => a.sum()).toThrow(/sum.*disposed/);
    expect(() => a.matmul(a)).toThrow(/matmul.*disposed/);
    expect(() => a.reshape(6)).toThrow(/disposed/);
    expect(a.toString()).toMatch(/disposed/);
  });

  it('1,000 training-like steps keep tensors, bytes and heap flat', () => {
    ag.manualSeed(0);
    let [w1, w2] = ag.tidy(() => [ag.randn([16, 32]).mul(0.1).requiresGrad_(), ag.randn([32, 10]).mul(0.1).requiresGrad_()]);
    ag.keep(w1); ag.keep(w2);
    const x = ag.randn([8, 16]);
    const target = ag.tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' });
    const samples: ag.MemoryInfo[] = [];
    let first = 0, last = 0;
    for (let step = 0; step < 1000; step++) {
      const loss = ag.tidy(() => {
        const h = x.matmul(w1).relu();
        const logp = h.matmul(w2).logSoftmax(-1);
        const l = logp.gather(1, target.reshape(8, 1)).mean().neg();
        l.backward();
        const n1 = ag.noGrad(() => w1.sub(w1.grad!.mul(0.1)));
        const n2 = ag.noGrad(() => w2.sub(w2.grad!.mul(0.1)));
        w1.dispose(); w2.dispose();
        w1 = ag.keep(n1.requiresGrad_());
        w2 = ag.keep(n2.requiresGrad_());
        return l.item();
      });
      if (step === 0) first = loss;
      last = loss;
      if (step >= 100 && step % 100 === 0) samples.push(ag.memory());
    }
    expect(last).toBeLessThan(first * 0.5);
    for (const s of samples) {
      expect([s.numTensors, s.numDataBuffers, s.numBytes, s.heapBytes]).toEqual([samples[0].numTensors, samples[0].numDataBuffers, samples[0].numBytes, samples[0].heapBytes]);
    }
    ag.dispose([w1, w2, x, target]);
  });
});
