// safetensors: bit-exact round trips, the reference layout, hand-built files per the spec
// (including the converted dtypes), every corruption case, and the state-dict file helpers.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arange, dispose, randn, tensor, tidy, type Tensor } from '../../src/index';
import {
  decodeSafetensors, encodeSafetensors, loadSafetensorsFile, loadStateDictFile, safetensorsToStateDict,
  saveStateDictFile, stateDictToSafetensors,
} from '../../src/io';

/** A safetensors file from a header object and raw data bytes, as the spec lays it out. */
function build(header: unknown, data: ArrayLike<number> = [], pad = true): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) while (json.length % 8) json += ' ';
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function bytesOf(arr: Float32Array | Int32Array | Uint16Array | Float64Array | BigInt64Array): number[] {
  return [...new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength)];
}

function headerOf(bytes: Uint8Array): { json: string; n: number } {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return { json: new TextDecoder().decode(bytes.subarray(8, 8 + n)), n };
}

describe('encodeSafetensors / decodeSafetensors', () => {
  it('round-trips float32 (bit-exact, incl. NaN payloads, -0, inf), int32, bool, scalars, empty and strided tensors', () => tidy(() => {
    const special = new Float32Array([NaN, -0, Infinity, -Infinity, 1e-45, 3.4028235e38, 0.1]);
    const bits = new Int32Array(special.buffer).slice();
    bits[0] = 0x7fc00123; // a NaN with a payload
    const f = tensor(new Float32Array(bits.buffer), { dtype: 'float32' });
    const w = randn(3, 5);
    const sd: Record<string, Tensor> = {
      'layer.weight': w, f, ints: tensor(new Int32Array([-2147483648, -1, 0, 7, 2147483647])),
      mask: w.gt(0), scalar: tensor(2.5), empty: tensor(new Float32Array(0), { shape: [0, 3] }), wT: w.T,
    };
    const bytes = encodeSafetensors(sd, { format: 'pt' });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(sd).sort());
    for (const [k, t] of Object.entries(sd)) {
      const r = tensors[k];
      expect(r.shape).toEqual(t.shape);
      expect(r.dtype).toBe(t.dtype);
      const a = t.data(), b = r.data();
      expect(bytesOf(new Int32Array(Int32Array.from(b as ArrayLike<number>)))).toEqual(bytesOf(new Int32Array(Int32Array.from(a as ArrayLike<number>))));
      if (t.dtype === 'float32') expect(bytesOf(b as Float32Array)).toEqual(bytesOf(a as Float32Array));
    }
    expect(new Int32Array((tensors.f.data() as Float32Array).buffer)[0]).toBe(0x7fc00123);
    dispose(tensors);
  }));

  it('lays out data as the reference writer: F32 then I32 then BOOL, by name; padded header; metadata first', () => tidy(() => {
    const bytes = encodeSafetensors({ b: arange(2), a: arange(3), z: tensor([1, 2]), c: tensor([true, false, true]) }, { k: 'v' });
    const { json, n } = headerOf(bytes);
    expect(n % 8).toBe(0);
    expect(json).toBe((
      '{"__metadata__":{"k":"v"},"z":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
      '"a":{"dtype":"I32","shape":[3],"data_offsets":[8,20]},"b":{"dtype":"I32","shape":[2],"data_offsets":[20,28]},' +
      '"c":{"dtype":"BOOL","shape":[3],"data_offsets":[28,31]}}').padEnd(n, ' '),
    );
    expect(bytes.length).toBe(8 + n + 31);
    expect([...bytes.subarray(8 + n)]).toEqual([...bytesOf(new Float32Array([1, 2])), ...bytesOf(new Int32Array([0, 1, 2, 0, 1])), 1, 0, 1]);
  }));

  it('decodes a file hand-built per the spec, converting F16, BF16, F64, I64, U8, I8, I16, U16, U32', () => {
    const parts: [string, string, number[], number[]][] = [
      ['h', 'F16', [2, 3], bytesOf(new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000]))],
      ['bf', 'BF16', [2], bytesOf(new Uint16Array([0x3f80, 0x4049]))],
      ['d', 'F64', [2], bytesOf(new Float64Array([0.1, -1e300]))],
      ['l', 'I64', [3], bytesOf(new BigInt64Array([-5n, 2147483647n, -2147483648n]))],
      ['u8', 'U8', [2], [0, 255]], ['i8', 'I8', [2], [0x80, 0x7f]],
      ['i16', 'I16', [1], [0x00, 0x80]], ['u16', 'U16', [1], [0xff, 0xff]], ['u32', 'U32', [1], [1, 0, 0, 0]],
      ['f', 'F32', [], bytesOf(new Float32Array([0.5]))], ['b', 'BOOL', [2], [0, 7]],
    ];
    const header: Record<string, unknown> = { __metadata__: { who: 'hand' } };
    const data: number[] = [];
    for (const [name, dtype, shape, b] of parts) {
      header[name] = { dtype, shape, data_offsets: [data.length, data.length + b.length] };
      data.push(...b);
    }
    const { tensors, metadata } = decodeSafetensors(build(header, data).buffer as ArrayBuffer);
    expect(metadata).toEqual({ who: 'hand' });
    expect(tensors.h.dtype).toBe('float32');
    expect(tensors.h.toArray()).toEqual([[1, -2, 65504], [2 ** -24, Infinity, -0]]);
    expect(tensors.bf.toArray()).toEqual([1, 3.140625]);
    expect(tensors.d.toArray()).toEqual([Math.fround(0.1), -Infinity]);
    expect(tensors.l.dtype).toBe('int32');
    expect(tensors.l.toArray()).toEqual([-5, 2147483647, -2147483648]);
    expect(tensors.u8.toArray()).toEqual([0, 255]);
    expect(tensors.i8.toArray()).toEqual([-128, 127]);
    expect(tensors.i16.toArray()).toEqual([-32768]);
    expect(tensors.u16.toArray()).toEqual([65535]);
    expect(tensors.u32.toArray()).toEqual([1]);
    expect(tensors.f.shape).toEqual([]);
    expect(tensors.f.item()).toBe(0.5);
    expect(tensors.b.dtype).toBe('bool');
    expect(tensors.b.toArray()).toEqual([false, true]);
    // an unpadded header is accepted too
    const small = decodeSafetensors(build({ x: { dtype: 'I32', shape: [1], data_offsets: [0, 4] } }, [9, 0, 0, 0], false));
    expect(small.metadata).toBeNull();
    expect(small.tensors.x.item()).toBe(9);
    dispose([tensors, small.tensors]);
  });

  it('rejects every kind of corruption with a clear error', () => {
    const t = (h: unknown, d: number[] = []) => () => decodeSafetensors(build(h, d));
    const f32 = (off: [number, number], shape = [1]) => ({ dtype: 'F32', shape, data_offsets: off });
    const good = build({ a: f32([0, 4]), b: f32([4, 8]) }, [0, 0, 128, 63, 0, 0, 0, 64]);
    expect(() => decodeSafetensors(good.subarray(0, 5))).toThrow(/truncated file: 5 bytes, expected at least 8/);
    expect(() => decodeSafetensors(good.subarray(0, 20))).toThrow(/header length \d+ goes beyond the end of the file \(20 bytes/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 1))).toThrow(/tensor 'b': data_offsets \[4, 8\] go beyond the data buffer \(7 bytes/);
    expect(() => decodeSafetensors(Uint8Array.from([...good, 0]))).toThrow(/cover 8 bytes but the data buffer after the header has 9/);
    const huge = new Uint8Array(16); new DataView(huge.buffer).setUint32(4, 1, true);
    expect(() => decodeSafetensors(huge)).toThrow(/exceeds the 100000000-byte limit/);
    const badJson = build({}); badJson.set(new TextEncoder().encode('{"a":'), 8);
    expect(() => decodeSafetensors(badJson)).toThrow(/header is not valid JSON/);
    const notObj = build([1, 2]);
    expect(() => decodeSafetensors(notObj)).toThrow(/must be a JSON object starting with '\{'/);
    const badUtf = build({ a: 1 }); badUtf[10] = 0xff;
    expect(() => decodeSafetensors(badUtf)).toThrow(/not valid UTF-8/);
    expect(t({ a: f32([0, 4]), b: f32([2, 6]) }, new Array(6).fill(0))).toThrow(/tensor 'b': data_offsets \[2, 6\] overlap the previous tensor 'a' \(which ends at 4\)/);
    expect(t({ a: f32([0, 4]), b: f32([8, 12]) }, new Array(12).fill(0))).toThrow(/tensor 'b': data_offsets begin at 8, leaving a gap after 'a'/);
    expect(t({ a: f32([4, 8]) }, new Array(8).fill(0))).toThrow(/leaving a gap after the start of the data/);
    expect(t({ a: f32([0, 8], [3]) }, new Array(8).fill(0))).toThrow(/shape \[3\] of F32 needs 12 bytes, but data_offsets \[0, 8\] span 8/);
    expect(t({ a: f32([8, 0]) })).toThrow(/data_offsets must be \[begin, end\] with 0 <= begin <= end, got \[8,0\]/);
    expect(t({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } })).toThrow(/shape must be an array of non-negative integers/);
    expect(t({ a: { dtype: 'Q7', shape: [1], data_offsets: [0, 1] } }, [0])).toThrow(/tensor 'a': unknown dtype "Q7"/);
    expect(t({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, [0])).toThrow(/unsupported dtype "F8_E4M3"/);
    expect(t({ a: 5 })).toThrow(/tensor 'a': expected \{dtype, shape, data_offsets\}/);
    expect(t({ __metadata__: { n: 1 } })).toThrow(/__metadata__\['n'\] must be a string/);
    const big = bytesOf(new BigInt64Array([1n, 2n ** 40n]));
    expect(t({ l: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, big)).toThrow(/tensor 'l': I64 value 1099511627776 at element 1 does not fit in int32/);
    expect(() => decodeSafetensors('x' as unknown as Uint8Array)).toThrow(/expected a Uint8Array or ArrayBuffer/);
  });

  it('validates encoder input', () => tidy(() => {
    expect(() => encodeSafetensors({ a: 3 as unknown as Tensor })).toThrow(/value for 'a' is not a tensor/);
    expect(() => encodeSafetensors({ __metadata__: arange(1) })).toThrow(/reserved/);
    expect(() => encodeSafetensors({ a: arange(1) }, { n: 1 as unknown as string })).toThrow(/metadata\['n'\] must be a string/);
    const d = arange(2); d.dispose();
    expect(() => encodeSafetensors({ d })).toThrow(/disposed/);
    // a Map works as well and an empty dict gives a valid file
    const m = decodeSafetensors(encodeSafetensors(new Map([['x', arange(2)]])));
    expect(m.tensors.x.toArray()).toEqual([0, 1]);
    expect(decodeSafetensors(encodeSafetensors({})).tensors).toEqual({});
  }));
});

describe('state dict helpers', () => {
  it('pure pair and file helpers round-trip', async () => {
    const sd = tidy(() => ({ 'fc.weight': randn(4, 2), 'fc.bias': randn(4), steps: tensor(new Int32Array([3])) }));
    const dir = mkdtempSync(join(tmpdir(), 'asgrad-st-'));
    const file = join(dir, 'model.safetensors');
    await saveStateDictFile(file, sd, { format: 'pt' });
    const onDisk = new Uint8Array(readFileSync(file));
    expect([...onDisk]).toEqual([...stateDictToSafetensors(sd, { format: 'pt' })]);
    const back = await loadStateDictFile(file);
    const pure = safetensorsToStateDict(onDisk);
    const withMeta = await loadSafetensorsFile(file);
    expect(withMeta.metadata).toEqual({ format: 'pt' });
    for (const k of Object.keys(sd)) {
      expect([...back[k].data()]).toEqual([...sd[k].data()]);
      expect([...pure[k].data()]).toEqual([...sd[k].data()]);
    }
    await expect(loadStateDictFile(join(dir, 'missing.safetensors'))).rejects.toThrow(/ENOENT/);
    dispose([sd, back, pure, withMeta.tensors]);
  });
});
