// The values OnnxModule folded (static_values.ts): per input-shape signature and per graph, the
// outputs of the foldable nodes, recorded on the first run with that signature and read after.
import { keep } from '../../../memory';
import type { Tensor } from '../../../tensor';
import type { GraphProto } from './model_proto';

/** One graph's folded values under one signature. `complete` once a whole run of the graph recorded it. */
export class FoldRecord {
  readonly values = new Map<string, Tensor>();
  /** The tensors this record made and frees (a pass-through output is another record's or an initializer). */
  private readonly owned = new Set<Tensor>();
  complete = false;

  /** Records `t` as the value of `name`; `made` when the node created it (not an input passed through). */
  add(name: string, t: Tensor, made: boolean): void {
    this.values.set(name, t);
    if (made && !this.owned.has(t)) { keep(t); this.owned.add(t); }
  }

  /** Whether the record made `t` (so the graph run must not free it). */
  owns(t: Tensor): boolean { return this.owned.has(t); }

  dispose(): void {
    for (const t of this.owned) t.dispose();
    this.owned.clear();
    this.values.clear();
  }
}

/** Records by signature, the most recent few (a model fed ever-new shapes keeps only the last ones). */
export class FoldCache {
  private readonly bySignature = new Map<string, Map<GraphProto, FoldRecord>>();
  constructor(private readonly capacity = 8) {}

  /** The record of `g` under `signature`, made (empty, incomplete) when there is none. */
  recordFor(signature: string, g: GraphProto): FoldRecord {
    let graphs = this.bySignature.get(signature);
    if (!graphs) {
      if (this.bySignature.size >= this.capacity) {
        const [oldest, records] = this.bySignature.entries().next().value!;
        for (const r of records.values()) r.dispose();
        this.bySignature.delete(oldest);
      }
      this.bySignature.set(signature, (graphs = new Map()));
    }
    let r = graphs.get(g);
    if (!r) graphs.set(g, (r = new FoldRecord()));
    return r;
  }

  /** Drops a record whose run failed part way (it may miss values). */
  drop(signature: string, g: GraphProto): void {
    const r = this.bySignature.get(signature)?.get(g);
    if (r && !r.complete) { r.dispose(); this.bySignature.get(signature)!.delete(g); }
  }

  clear(): void {
    for (const graphs of this.bySignature.values()) for (const r of graphs.values()) r.dispose();
    this.bySignature.clear();
  }
}
