// CSV (RFC 4180: quoted fields, "" escapes, delimiters and newlines inside quotes, CRLF or LF)
// into typed columns, and from there into tensors. loadCsv reads a file in Node.
import type { Tensor } from '../tensor';
import { fromFlat } from '../creation';
import { check } from '../util/errors';

export type CsvColumnType = 'float32' | 'int32' | 'string';

export interface CsvOptions {
  /** The first record names the columns (default true); otherwise columns are named '0', '1', ... */
  header?: boolean;
  /** Field separator, one character (default ','). */
  delimiter?: string;
  /** Types of some or all columns by name. Unlisted columns are float32 when every value parses
   *  as a number (empty -> NaN), otherwise string. */
  columns?: Record<string, CsvColumnType>;
  /** Ignore lines with no characters at all (default true). */
  skipEmptyLines?: boolean;
}

export type CsvColumn = Float32Array | Int32Array | string[];

export interface CsvTable {
  /** Column names in file order. */
  readonly columns: string[];
  /** Number of data records (header excluded). */
  readonly rows: number;
  /** Type of each column after parsing. */
  readonly types: Record<string, CsvColumnType>;
  /** The values of one column (float32 empty fields are NaN). */
  column(name: string): CsvColumn;
  /** Numeric columns as a tensor: [rows, names.length] for an array of names, [rows] for one
   *  name. int32 when every column is int32, float32 otherwise. The caller owns it. */
  toTensor(names: string[] | string): Tensor;
}

interface Record_ { fields: string[]; line: number }

/** Splits text into records of raw fields (quotes removed, "" unescaped). */
export function parseCsvRecords(text: string, delimiter = ',', skipEmptyLines = true): Record_[] {
  check(typeof text === 'string', 'readCsv', () => `expected the CSV text as a string, got ${typeof text}`);
  check(typeof delimiter === 'string' && delimiter.length === 1 && delimiter !== '"' && delimiter !== '\n' && delimiter !== '\r', 'readCsv', () =>
    `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  const records: Record_[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte order mark
  const n = text.length;
  let line = 1;
  const D = delimiter.charCodeAt(0);
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let emptyLine = true;
    for (;;) { // one field per iteration
      let value = '';
      if (text.charCodeAt(i) === 34) { // quoted field
        emptyLine = false;
        const openLine = line;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          check(q >= 0, 'readCsv', () => `unterminated quoted field starting on line ${openLine}`);
          const chunk = text.slice(i, q);
          for (let c = chunk.indexOf('\n'); c >= 0; c = chunk.indexOf('\n', c + 1)) line++;
          value += chunk;
          if (text.charCodeAt(q + 1) === 34) { value += '"'; i = q + 2; continue; }
          i = q + 1;
          break;
        }
        const c = text.charCodeAt(i);
        check(i >= n || c === D || c === 10 || c === 13, 'readCsv', () =>
          `line ${line}: unexpected character ${JSON.stringify(text[i])} after a closing quote (expected the delimiter or end of line)`);
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === D || c === 10 || c === 13) break;
          check(c !== 34, 'readCsv', () => `line ${line}: a quote inside an unquoted field; quote the whole field and double inner quotes`);
          j++;
        }
        value = text.slice(i, j);
        if (j > i) emptyLine = false;
        i = j;
      }
      fields.push(value);
      if (i < n && text.charCodeAt(i) === D) { i++; emptyLine = false; continue; }
      break;
    }
    // End of record: CRLF, LF, lone CR, or end of text.
    if (text.charCodeAt(i) === 13) i++;
    if (text.charCodeAt(i) === 10) i++;
    line++;
    if (emptyLine && fields.length === 1 && skipEmptyLines) continue;
    records.push({ fields, line: startLine });
  }
  return records;
}

const INT_RE = /^[+-]?\d+$/;

function parseFloatField(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  const v = Number(t);
  if (!Number.isNaN(v)) return v;
  const l = t.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === '+inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  throw new Error(`asgrad.readCsv: ${JSON.stringify(s)} is not a number`); // unreachable after isFloatText
}

function isFloatText(s: string): boolean {
  const t = s.trim().toLowerCase();
  return t === '' || !Number.isNaN(Number(t)) || ['nan', 'inf', '+inf', '-inf', 'infinity', '-infinity'].includes(t);
}

/**
 * Parses CSV text into typed columns.
 * @example
 * const t = readCsv('a,b,label\n1,2,x\n3,4,y\n', { columns: { label: 'string' } });
 * t.column('a');              // Float32Array [1, 3]
 * const x = t.toTensor(['a', 'b']); // [2, 2] float32
 */
export function readCsv(text: string, opts: CsvOptions = {}): CsvTable {
  const { header = true, delimiter = ',', columns: types = {}, skipEmptyLines = true } = opts;
  const records = parseCsvRecords(text, delimiter, skipEmptyLines);
  let names: string[];
  let data = records;
  if (header) {
    check(records.length > 0, 'readCsv', () => 'header: true but the text has no records');
    names = records[0].fields.map((f) => f.trim());
    data = records.slice(1);
    const seen = new Set<string>();
    for (const nm of names) {
      check(!seen.has(nm), 'readCsv', () => `duplicate column name ${JSON.stringify(nm)} in the header`);
      seen.add(nm);
    }
  } else {
    names = (records[0]?.fields ?? []).map((_, j) => String(j));
  }
  for (const r of data) {
    check(r.fields.length === names.length, 'readCsv', () =>
      `the record on line ${r.line} has ${r.fields.length} fields, expected ${names.length} (${header ? 'the header' : 'the first record'} has ${names.length})`);
  }
  for (const key of Object.keys(types)) {
    check(names.includes(key), 'readCsv', () => `options.columns names ${JSON.stringify(key)}, which is not a column; columns are ${JSON.stringify(names)}`);
    check(['float32', 'int32', 'string'].includes(types[key]), 'readCsv', () => `column ${JSON.stringify(key)}: unknown type ${JSON.stringify(types[key])} (expected 'float32', 'int32' or 'string')`);
  }
  const rows = data.length;
  const parsed = new Map<string, CsvColumn>();
  const resolved: Record<string, CsvColumnType> = {};
  names.forEach((name, j) => {
    const type = types[name] ?? (data.every((r) => isFloatText(r.fields[j])) ? 'float32' : 'string');
    resolved[name] = type;
    if (type === 'string') { parsed.set(name, data.map((r) => r.fields[j])); return; }
    const out = type === 'float32' ? new Float32Array(rows) : new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const s = data[i].fields[j];
      const where = () => `line ${data[i].line} (record ${i + 1}), column ${JSON.stringify(name)}`;
      if (type === 'int32') {
        const t = s.trim();
        const v = Number(t);
        check(INT_RE.test(t) && v >= -(2 ** 31) && v < 2 ** 31, 'readCsv', () => `${where()}: cannot parse ${JSON.stringify(s)} as int32`);
        out[i] = v;
      } else {
        check(isFloatText(s), 'readCsv', () => `${where()}: cannot parse ${JSON.stringify(s)} as float32`);
        out[i] = parseFloatField(s);
      }
    }
    parsed.set(name, out);
  });
  const column = (name: string): CsvColumn => {
    const c = parsed.get(String(name));
    check(c !== undefined, 'readCsv.column', () => `no column ${JSON.stringify(name)}; columns are ${JSON.stringify(names)}`);
    return c;
  };
  return {
    columns: names,
    rows,
    types: resolved,
    column,
    toTensor(sel: string[] | string): Tensor {
      const list = Array.isArray(sel) ? sel : [sel];
      check(list.length > 0, 'readCsv.toTensor', () => 'expected at least one column name');
      const cols = list.map((nm) => {
        const c = column(nm);
        check(!Array.isArray(c), 'readCsv.toTensor', () => `column ${JSON.stringify(nm)} holds strings; give it a numeric type in options.columns or leave it out`);
        return c as Float32Array | Int32Array;
      });
      const allInt = cols.every((c) => c instanceof Int32Array);
      const k = cols.length;
      const flat = allInt ? new Int32Array(rows * k) : new Float32Array(rows * k);
      cols.forEach((c, j) => { for (let i = 0; i < rows; i++) flat[i * k + j] = c[i]; });
      return fromFlat(flat, Array.isArray(sel) ? [rows, k] : [rows], allInt ? 'int32' : 'float32');
    },
  };
}

/** Reads and parses a CSV file (Node, Deno, Bun: needs node:fs/promises). */
export async function loadCsv(path: string, opts: CsvOptions = {}): Promise<CsvTable> {
  const fs = await import('node:fs/promises').catch(() => {
    throw new Error('asgrad.loadCsv: reading files needs node:fs (Node, Deno or Bun); in a browser fetch the text and call readCsv');
  });
  return readCsv(await fs.readFile(path, 'utf8'), opts);
}
