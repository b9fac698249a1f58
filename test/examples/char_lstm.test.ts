// examples/char_lstm.mjs at reduced size on the built bundle: a 100k-character slice of the KJV
// text, 200 steps of a small LSTM. The text comes from scripts/fetch-kjv.sh (run here if missing).
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFetched, loadExample } from '../helpers/examples';

const KJV = '.cache/kjv/kjv.txt';

describe('examples/char_lstm', () => {
  beforeAll(() => {
    ensureFetched(KJV, 'scripts/fetch-kjv.sh');
  }, 120000);

  it('100k chars, 200 steps: validation cross-entropy well below the unigram baseline; samples vocabulary characters', async () => {
    const { main } = await loadExample('char_lstm');
    const r = await main({ textChars: 100000, steps: 200, evalEvery: 200, hidden: 64, seqLen: 48, sampleLength: 80, log: false });
    expect(r.baseline).toBeGreaterThan(2.5); // English letters: about 3 nats/char
    expect(r.valLoss).toBeLessThan(r.baseline - 0.5);
    expect(typeof r.sample).toBe('string');
    expect(r.sample.startsWith('And God said')).toBe(true);
    expect(Array.from(r.sample as string).length).toBe('And God said'.length + 80);
    for (const c of r.sample as string) expect(r.vocab).toContain(c);
  }, 300000);
});
