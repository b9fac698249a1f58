// Fails the build when a kernel module grows memory: only the TypeScript heap may (DESIGN.md).
// Checks every build/*.wat (release, relaxed and their -shared variants).
import { readFileSync, readdirSync, existsSync } from 'node:fs';

let bad = false;
const builds = ['release', 'relaxed', 'release-shared', 'relaxed-shared'];
const extra = existsSync('build') ? readdirSync('build').filter((f) => f.endsWith('.wat') && !builds.includes(f.slice(0, -4))) : [];
for (const f of [...builds.map((b) => `build/${b}.wat`), ...extra.map((f) => `build/${f}`)]) {
  if (!existsSync(f)) { console.error(`check-wat: ${f} is missing (run asc first)`); bad = true; continue; }
  const n = (readFileSync(f, 'utf8').match(/memory\.grow/g) ?? []).length;
  if (n > 0) { console.error(`check-wat: ${f} contains memory.grow ${n} time(s): a kernel allocates`); bad = true; }
}
if (bad) process.exit(1);
console.log('check-wat: no memory.grow in the kernel modules');
