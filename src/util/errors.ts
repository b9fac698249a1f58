// Error helpers: every user-facing failure names the op, what it received and what it expected.

/** Throws `asgrad.<op>: <message>` when `cond` is false. The message is built lazily. */
export function check(cond: unknown, op: string, message: () => string): asserts cond {
  if (!cond) throw new Error(`asgrad.${op}: ${message()}`);
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Throws when `opts` has a key outside `known` (space-separated names): an option asgrad does not
 * have, a PyTorch spelling (padding_mode) or a typo would otherwise be ignored without a word.
 */
export function knownOptions(op: string, opts: object | undefined, known: string): void {
  // On hot paths (a loss per step, a pool per ONNX node): no array unless a key is unknown.
  for (const k in opts) check(` ${known} `.includes(` ${k} `), op, () => `unknown option '${k}' (expected ${known.split(' ').join(', ')})`);
}
