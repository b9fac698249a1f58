import { it, expect } from 'vitest';
import { sequential, layers, tensor, tidy, memory } from '../../src/index';
it('dropout predict', () => {
  const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2] }), layers.dropout({ rate: 0.5 }), layers.dense({ units: 1 })] });
  const x = tensor([[1, 2]]);
  const y = m.predict(x);
  console.log(y.toArray());
  y.dispose(); x.dispose(); m.dispose();
});
