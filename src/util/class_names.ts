// The bundle is minified without esbuild's keepNames (it cost 8 KB gzip of the 150 KB budget), so
// the library's classes would print with mangled names (Module.toString, errors). Each exported
// class gets its export name back; a class exported twice keeps the name of its deepest namespace
// (keras.Sequential, not the top-level alias LayersModel).
type Namespace = Readonly<Record<string, unknown>>;

/** Sets `name` on every class reachable from `api` (namespaces first, then this level's classes). */
export function nameClasses(api: Namespace, named = new WeakSet<object>(), depth = 0): void {
  const entries = Object.entries(api);
  for (const [, v] of entries) if (v && typeof v === 'object' && !Array.isArray(v) && depth < 3) nameClasses(v as Namespace, named, depth + 1);
  for (const [k, v] of entries) {
    if (typeof v !== 'function' || !/^[A-Z]/.test(k) || named.has(v) || !v.prototype) continue;
    named.add(v);
    Object.defineProperty(v, 'name', { value: k, configurable: true });
  }
}
