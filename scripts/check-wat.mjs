// Fails the build when a kernel module grows memory: only the TypeScript heap may (DESIGN.md).
import { readFileSync, existsSync } from 'node:fs';

let bad = false;
for (const f of ['build/release.wat', 'build/relaxed.wat']) {
  if (!existsSync(f)) { console.error(`check-wat: ${f} is missing (run asc first)`); bad = true; continue; }
  const n = (readFileSync(f, 'utf8').match(/memory\.grow/g) ?? []).length;
  if (n > 0) { console.error(`check-wat: ${f} contains memory.grow ${n} time(s): a kernel allocates`); bad = true; }
}
if (bad) process.exit(1);
console.log('check-wat: no memory.grow in the kernel modules');
