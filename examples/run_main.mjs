// Runs an example's main() when the file is executed directly (not when a test imports it).
import { pathToFileURL } from 'node:url';

export function runIfMain(meta, main) {
  if (process.argv[1] && meta.url === pathToFileURL(process.argv[1]).href) {
    main().catch((e) => { console.error(e); process.exit(1); });
  }
}
