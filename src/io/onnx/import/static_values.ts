// Which values of an ONNX graph are fixed by the model inputs' shapes alone (the shape arithmetic
// a PyTorch export is full of: Shape -> Gather -> Unsqueeze -> Concat -> Reshape, and Constant
// nodes). OnnxModule computes those once per input-shape signature and skips their nodes after.
import type { GraphProto, NodeProto } from './model_proto';

/** A graph's facts: `shapeKnown` values have a shape fixed by the input shapes, `valueKnown` ones their values too. */
export interface StaticFacts { shapeKnown: Set<string>; valueKnown: Set<string> }

/** Output shape not fixed by the input shapes alone: from the values (the lists below) or the data. */
const SHAPE_FROM_DATA = new Set(['If', 'Loop', 'Scan', 'NonZero', 'Compress', 'Unique', 'NonMaxSuppression']);
/** Output shape from input 0's shape and the values of the other inputs. */
const SHAPE_FROM_OPERANDS = new Set(('Reshape Slice Squeeze Unsqueeze Expand Tile Pad Resize Upsample TopK OneHot Split ' +
  'ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceMax ReduceMean ReduceMin ReduceProd ReduceSum ReduceSumSquare').split(' '));
/** Output shape from the values of every input. */
const SHAPE_FROM_VALUES = new Set(['ConstantOfShape', 'Range']);
/**
 * How an op's output shape is fixed: by the input shapes ('shapes', every op not listed), by input
 * 0's shape and the other inputs' values ('operands'), by every input's values ('values'), or by
 * the data ('data'). A new converter whose output shape reads an input's values must be listed.
 */
export const shapeRule = (op: string): 'shapes' | 'operands' | 'values' | 'data' =>
  SHAPE_FROM_OPERANDS.has(op) ? 'operands' : SHAPE_FROM_VALUES.has(op) ? 'values' : SHAPE_FROM_DATA.has(op) ? 'data' : 'shapes';

/** Outputs that are not a function of the inputs' values (random) or that run subgraphs: never folded. */
const NOT_FOLDABLE = new Set(['If', 'Loop', 'Scan', 'Dropout', 'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Bernoulli', 'Multinomial']);

/**
 * Marks each node of `g` foldable (every output value fixed by the input shapes) and returns the
 * facts, seeded with the enclosing graph's (for If branches). Values of the node inputs that
 * are absent ('') count as known. `constantsOf(g)` names g's initializers whose values are
 * fixed (float initializers of the main graph are parameters: they train). An If on a known
 * condition takes the same branch for every run with the same input shapes, so its outputs are
 * known when both branches know them.
 */
export function staticFacts(g: GraphProto, seeds: StaticFacts, constantsOf: (g: GraphProto) => Iterable<string>): { facts: StaticFacts; foldable: boolean[] } {
  const shapeKnown = new Set(seeds.shapeKnown), valueKnown = new Set(seeds.valueKnown);
  for (const v of g.inputs) shapeKnown.add(v.name);
  for (const d of g.initializers) shapeKnown.add(d.name);
  for (const name of constantsOf(g)) { shapeKnown.add(name); valueKnown.add(name); }
  const shaped = (n: string) => !n || shapeKnown.has(n), valued = (n: string) => !n || valueKnown.has(n);
  const foldable = g.nodes.map((node: NodeProto) => {
    const [first, ...rest] = node.inputs;
    const op = node.opType;
    const rule = shapeRule(op);
    const shape = rule === 'operands' ? shaped(first ?? '') && rest.every(valued)
      : rule === 'values' ? node.inputs.every(valued) : rule === 'shapes' && node.inputs.every(shaped);
    let value = false;
    if (op === 'Shape' || op === 'Size' || op === 'EyeLike') value = shaped(first ?? '');
    else if (!NOT_FOLDABLE.has(op) && ![...node.attrs.values()].some((a) => a.g)) value = node.inputs.every(valued);
    const branches = op === 'If' && valued(first ?? '') ? [node.attrs.get('then_branch')?.g, node.attrs.get('else_branch')?.g] : [];
    if (branches.length && branches.every((b) => b)) {
      const [a, b] = branches.map((br) => ({ g: br!, facts: staticFacts(br!, { shapeKnown, valueKnown }, constantsOf).facts }));
      node.outputs.forEach((out, k) => {
        const [na, nb] = [a.g.outputs[k]?.name, b.g.outputs[k]?.name];
        if (!out || !na || !nb) return;
        if (a.facts.shapeKnown.has(na) && b.facts.shapeKnown.has(nb)) shapeKnown.add(out);
        if (a.facts.valueKnown.has(na) && b.facts.valueKnown.has(nb)) valueKnown.add(out);
      });
    }
    for (const out of node.outputs) {
      if (!out) continue;
      if (shape || value) shapeKnown.add(out);
      if (value) valueKnown.add(out);
    }
    return value && node.outputs.length > 0;
  });
  return { facts: { shapeKnown, valueKnown }, foldable };
}
