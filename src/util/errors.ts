// Error helpers: every user-facing failure names the op, what it received and what it expected.

/** Throws `asgrad.<op>: <message>` when `cond` is false. The message is built lazily. */
export function check(cond: unknown, op: string, message: () => string): asserts cond {
  if (!cond) throw new Error(`asgrad.${op}: ${message()}`);
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
