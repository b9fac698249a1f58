// readCsv: RFC 4180 quoting, CRLF, typed columns and their errors, toTensor; loadCsv on a file.
import { describe, expect, it } from 'vitest';
import { tidy } from '../../src/index';
import { loadCsv, readCsv } from '../../src/data';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('readCsv', () => {
  it('parses quotes, escaped quotes, delimiters and newlines inside quotes, CRLF', () => {
    const text = 'name,note,x\r\n"Smith, J","said ""hi""",1.5\r\n"multi\r\nline",,2\r\nplain,"",-3e2\r\n';
    const t = readCsv(text);
    expect(t.columns).toEqual(['name', 'note', 'x']);
    expect(t.rows).toBe(3);
    expect(t.column('name')).toEqual(['Smith, J', 'multi\r\nline', 'plain']);
    expect(t.column('note')).toEqual(['said "hi"', '', '']);
    expect(t.types).toEqual({ name: 'string', note: 'string', x: 'float32' });
    expect([...(t.column('x') as Float32Array)]).toEqual([1.5, 2, -300]);
  });

  it('handles LF, lone CR, no trailing newline, empty lines, a BOM, other delimiters, no header', () => {
    const t = readCsv('\ufeffa;b\n1;2\n\n3;4', { delimiter: ';' });
    expect(t.columns).toEqual(['a', 'b']);
    expect([...(t.column('b') as Float32Array)]).toEqual([2, 4]);
    const u = readCsv('1,2\r3,4\r', { header: false });
    expect(u.columns).toEqual(['0', '1']);
    expect([...(u.column('0') as Float32Array)]).toEqual([1, 3]);
    expect(() => readCsv('a\n1\n\n2', { skipEmptyLines: false, columns: { a: 'int32' } })).toThrow(/line 3 \(record 2\), column "a": cannot parse "" as int32/);
    expect(readCsv('a,b\n,\n').column('a')).toEqual(new Float32Array([NaN])); // empty float -> NaN
    expect([...(readCsv('v\nnan\ninf\n-Infinity\n').column('v') as Float32Array)]).toEqual([NaN, Infinity, -Infinity]);
  });

  it('typed columns parse or fail naming the line and column', () => {
    const text = 'id,score,label\n1,0.5,a\n2,x,b\n';
    expect(() => readCsv(text, { columns: { score: 'float32' } })).toThrow(/readCsv: line 3 \(record 2\), column "score": cannot parse "x" as float32/);
    const t = readCsv(text, { columns: { id: 'int32', score: 'string' } });
    expect(t.column('id')).toBeInstanceOf(Int32Array);
    expect(t.column('score')).toEqual(['0.5', 'x']);
    expect(() => readCsv('n\n1.5\n', { columns: { n: 'int32' } })).toThrow(/cannot parse "1.5" as int32/);
    expect(() => readCsv('n\n3000000000\n', { columns: { n: 'int32' } })).toThrow(/cannot parse "3000000000" as int32/);
    expect(() => readCsv(text, { columns: { nope: 'int32' } })).toThrow(/"nope", which is not a column/);
    expect(() => t.column('zzz')).toThrow(/no column "zzz"/);
  });

  it('rejects malformed input clearly', () => {
    expect(() => readCsv('a,b\n1,2,3\n')).toThrow(/record on line 2 has 3 fields, expected 2/);
    expect(() => readCsv('a\n"open\n')).toThrow(/unterminated quoted field starting on line 2/);
    expect(() => readCsv('a\n"x"y\n')).toThrow(/line 2: unexpected character "y" after a closing quote/);
    expect(() => readCsv('a\nx"y\n')).toThrow(/quote inside an unquoted field/);
    expect(() => readCsv('a,a\n1,2\n')).toThrow(/duplicate column name "a"/);
    expect(() => readCsv('a\n1', { delimiter: '::' })).toThrow(/delimiter must be one character/);
  });

  it('toTensor builds [rows, k] float32 (int32 when all int32) or [rows] for one name', () => tidy(() => {
    const t = readCsv('a,b,c,s\n1,2,3,x\n4,5,6,y\n', { columns: { c: 'int32' } });
    const x = t.toTensor(['a', 'b']);
    expect(x.shape).toEqual([2, 2]);
    expect(x.dtype).toBe('float32');
    expect(x.toArray()).toEqual([[1, 2], [4, 5]]);
    const c = t.toTensor('c');
    expect(c.dtype).toBe('int32');
    expect(c.toArray()).toEqual([3, 6]);
    expect(t.toTensor(['c', 'a']).toArray()).toEqual([[3, 1], [6, 4]]);
    expect(() => t.toTensor(['a', 's'])).toThrow(/column "s" holds strings/);
  }));

  it('loadCsv reads a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asgrad-csv-'));
    const file = join(dir, 't.csv');
    writeFileSync(file, 'x,y\n1,2\n3,4\n');
    const t = await loadCsv(file);
    expect(t.rows).toBe(2);
    expect([...(t.column('y') as Float32Array)]).toEqual([2, 4]);
    await expect(loadCsv(join(dir, 'missing.csv'))).rejects.toThrow(/ENOENT/);
  });
});
