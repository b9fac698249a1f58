// Character-level text data: a vocabulary of a corpus' characters (code points), encoding to
// int32 ids, (input, target) windows for next-character prediction, the unigram entropy baseline,
// and a loader for the King James Bible text (scripts/fetch-kjv.sh; Node, Deno, Bun).
import type { Tensor } from '../tensor';
import { fromFlat } from '../creation';
import { check } from '../util/errors';
import { readText } from './node';

/**
 * The distinct characters of a text, sorted by code point; id = position.
 * @example
 * const vocab = CharVocab.fromText(text);
 * const ids = vocab.encode('In the beginning'); // Int32Array
 * vocab.decode(ids) === 'In the beginning';
 */
export class CharVocab {
  private readonly index: Map<string, number>;

  constructor(readonly chars: readonly string[]) {
    check(Array.isArray(chars) && chars.length > 0, 'CharVocab', () => 'expected a non-empty array of characters');
    this.index = new Map(chars.map((c, i) => [c, i]));
    check(this.index.size === chars.length, 'CharVocab', () => 'characters must be distinct');
  }

  static fromText(text: string): CharVocab {
    check(typeof text === 'string' && text.length > 0, 'CharVocab.fromText', () => `expected a non-empty string, got ${typeof text === 'string' ? 'an empty string' : typeof text}`);
    return new CharVocab([...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  get size(): number { return this.chars.length; }

  /** Ids of every character; an unknown character is an error naming it and its position. */
  encode(text: string): Int32Array {
    const cs = Array.from(text);
    const out = new Int32Array(cs.length);
    for (let i = 0; i < cs.length; i++) {
      const id = this.index.get(cs[i]);
      check(id !== undefined, 'CharVocab.encode', () => `character ${JSON.stringify(cs[i])} at position ${i} is not in the vocabulary (${this.size} characters)`);
      out[i] = id;
    }
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const c = this.chars[ids[i]];
      check(c !== undefined, 'CharVocab.decode', () => `id ${ids[i]} at position ${i} is out of range [0, ${this.size})`);
      s += c;
    }
    return s;
  }
}

export interface CharWindowsOptions {
  /** Distance between window starts (default seqLen: non-overlapping windows). */
  stride?: number;
}

/**
 * Next-character training pairs from ids: window k covers ids[k*stride .. k*stride + seqLen] and
 * gives inputs [N, seqLen] = its first seqLen ids and targets [N, seqLen] = the same shifted by
 * one. Both int32, owned by the caller.
 */
export function charWindows(ids: ArrayLike<number>, seqLen: number, { stride = seqLen }: CharWindowsOptions = {}): { inputs: Tensor; targets: Tensor } {
  check(Number.isInteger(seqLen) && seqLen > 0, 'charWindows', () => `seqLen must be a positive integer, got ${seqLen}`);
  check(Number.isInteger(stride) && stride > 0, 'charWindows', () => `stride must be a positive integer, got ${stride}`);
  const n = ids.length < seqLen + 1 ? 0 : Math.floor((ids.length - seqLen - 1) / stride) + 1;
  check(n > 0, 'charWindows', () => `need at least seqLen + 1 = ${seqLen + 1} ids, got ${ids.length}`);
  const x = new Int32Array(n * seqLen), y = new Int32Array(n * seqLen);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < seqLen; j++) {
      x[k * seqLen + j] = ids[k * stride + j];
      y[k * seqLen + j] = ids[k * stride + j + 1];
    }
  }
  return { inputs: fromFlat(x, [n, seqLen], 'int32'), targets: fromFlat(y, [n, seqLen], 'int32') };
}

/** Entropy in nats of the id frequencies: the cross-entropy of the best context-free predictor. */
export function unigramEntropy(ids: ArrayLike<number>, vocabSize: number): number {
  check(ids.length > 0, 'unigramEntropy', () => 'expected at least one id');
  const counts = new Float64Array(vocabSize);
  for (let i = 0; i < ids.length; i++) counts[ids[i]]++;
  let h = 0;
  for (const c of counts) if (c > 0) { const p = c / ids.length; h -= p * Math.log(p); }
  return h;
}

/**
 * The King James Bible as plain text (public domain, 4.3 MB), from `path` or .cache/kjv/kjv.txt
 * under the working directory, as written by scripts/fetch-kjv.sh (Debian's bible-kjv packages).
 */
export async function loadKjv({ path }: { path?: string } = {}): Promise<string> {
  const file = path ?? '.cache/kjv/kjv.txt';
  try {
    return await readText('loadKjv', file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new Error(`asgrad.loadKjv: ${file} not found; run scripts/fetch-kjv.sh (it downloads Debian's bible-kjv packages and extracts the text)`);
  }
}
