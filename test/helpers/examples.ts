// Shared by the example tests (test/examples): loads an examples/*.mjs module from the built bundle,
// fetches a missing data set, and runs code with the example's console output silenced.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The module examples/<name>.mjs (it imports dist/index.js, so `npm run build` must have run). */
export const loadExample = (name: string): Promise<any> => import(/* @vite-ignore */ `../../examples/${name}.mjs`);

/** Runs `bash script` (a scripts/fetch-*.sh) when `file`, which it downloads, is missing. */
export function ensureFetched(file: string, script: string): void {
  if (!existsSync(file)) execFileSync('bash', [script], { stdio: 'inherit' });
}

/** Runs fn with console.log and process.stdout.write silenced, restoring them afterwards. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  const write = process.stdout.write;
  console.log = () => {};
  (process.stdout as any).write = () => true;
  try {
    return await fn();
  } finally {
    console.log = log;
    (process.stdout as any).write = write;
  }
}
