// Timing helpers shared by the benchmarks. Machines drift by up to 2× between processes, so every
// comparison runs both sides in one process, alternating sample by sample, and quotes ratios.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const resultsFile = new URL('./RESULTS.md', import.meta.url);

/** Median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** How many calls of `fn` make one sample of at least `minSampleMs` (after one warm call). */
export async function calibrate(fn, minSampleMs = 20, isAsync = false) {
  let reps = 1;
  for (;;) {
    const ms = await timeReps(fn, reps, isAsync);
    if (ms >= minSampleMs || reps >= 1 << 20) return reps;
    reps = Math.min(reps * 8, Math.max(reps * 2, Math.ceil((reps * minSampleMs * 1.2) / Math.max(ms, 1e-3))));
  }
}

/** Milliseconds for `reps` back-to-back calls of `fn` (awaited only when `isAsync`). */
export async function timeReps(fn, reps, isAsync = false) {
  const t0 = performance.now();
  if (isAsync) for (let r = 0; r < reps; r++) await fn();
  else for (let r = 0; r < reps; r++) fn();
  return performance.now() - t0;
}

/**
 * Times several sides of one comparison, alternating them sample by sample.
 * sides: [{ name, run, async?, enter? }] — `run` is one call (awaited when `async`), `enter` is
 * awaited before each sample of that side (e.g. switching a backend). Returns { [name]: median ms/call }.
 */
export async function compare(sides, { samples = 7, warmupMs = 150, minSampleMs = 20 } = {}) {
  const reps = new Map();
  for (const side of sides) {
    await side.enter?.();
    // Warm up by time, not by count: V8 runs Liftoff code until TurboFan's finishes in the background.
    for (let ms = 0; ms < warmupMs;) ms += await timeReps(side.run, 1, side.async);
    reps.set(side, await calibrate(side.run, minSampleMs, side.async));
  }
  const times = new Map(sides.map((s) => [s, []]));
  for (let s = 0; s < samples; s++) {
    for (const side of sides) {
      await side.enter?.();
      const n = reps.get(side);
      times.get(side).push((await timeReps(side.run, n, side.async)) / n);
    }
  }
  return Object.fromEntries(sides.map((s) => [s.name, median(times.get(s))]));
}

/** "1.84×", or "—" when either side is missing. */
export function ratio(ours, peer) {
  return ours > 0 && peer > 0 && Number.isFinite(ours) && Number.isFinite(peer) ? `${(ours / peer).toFixed(2)}×` : '—';
}

/** A number with `digits` decimals, or "—" when missing. */
export function fmt(x, digits = 1) {
  return x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** A markdown table from a header row and rows of cells. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Short HEAD, with "-dirty" when tracked files other than RESULTS.md differ from it (as `git describe --dirty`). */
export function gitCommit() {
  const git = (cmd) => execSync(cmd, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  try {
    const head = git('git rev-parse --short HEAD');
    return git("git status --porcelain --untracked-files=no -- . ':!bench/RESULTS.md'") ? `${head}-dirty` : head;
  } catch {
    return 'uncommitted';
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: gitCommit(),
    date: new Date().toISOString().slice(0, 10),
  };
}

/**
 * Replaces (or appends) the section `name` of bench/RESULTS.md with `markdown`, stamped with the
 * machine and commit. Sections are delimited by `<!-- bench:name -->` / `<!-- /bench:name -->`.
 */
export function writeResults(name, title, markdown) {
  const m = machineInfo();
  const begin = `<!-- bench:${name} -->`, end = `<!-- /bench:${name} -->`;
  const section = [
    begin,
    `## ${title}`,
    '',
    `${m.date}, commit \`${m.commit}\`: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.os}. One thread.`,
    '',
    markdown.trim(),
    end,
  ].join('\n');
  let text = existsSync(resultsFile)
    ? readFileSync(resultsFile, 'utf8')
    : '# Benchmark results\n\nWritten by `bench/*.mjs`. Compare ratios, not absolute numbers: these machines drift\nbetween processes, so every peer runs in the same process, alternating with ours.\n';
  const i = text.indexOf(begin), j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(resultsFile, text);
}
