// Browser model storage with TensorFlow.js's URL schemes: indexeddb://name (one IndexedDB record),
// downloads://name (name.json + name.weights.safetensors through anchors with Blob URLs) and
// http(s) or page-relative URLs read with fetch. Handlers move artifacts; save.ts builds and restores models.

import type { ModelArtifacts } from './model_json';
import { parseModelJson } from './model_io_deps';

export type { ModelArtifacts };

const DB_NAME = 'asgrad';
const STORE = 'models';

function fail(op: string, msg: string): never {
  throw new Error(`asgrad.${op}: ${msg}`);
}

function promised<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function openDb(op: string, url: string): Promise<IDBDatabase> {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) fail(op, `'${url}' is not supported in this runtime (it has no indexedDB; use a directory path in Node)`);
  const req = idb.open(DB_NAME, 1);
  req.onupgradeneeded = () => { req.result.createObjectStore(STORE); };
  return promised(req);
}

/** Stores the artifacts under `name` in the 'asgrad' database (replacing a model of that name). */
export async function saveToIndexedDb(name: string, a: ModelArtifacts): Promise<void> {
  const db = await openDb('save', `indexeddb://${name}`);
  try {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put({ modelJson: a.modelJson, weights: a.weightsBytes, dateSaved: new Date().toISOString() }, name);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(new Error(`asgrad.save: IndexedDB refused to store 'indexeddb://${name}': ${tx.error?.message}`));
    });
  } finally {
    db.close();
  }
}

export async function loadFromIndexedDb(name: string): Promise<ModelArtifacts> {
  const db = await openDb('loadModel', `indexeddb://${name}`);
  try {
    const store = db.transaction(STORE, 'readonly').objectStore(STORE);
    const rec = await promised(store.get(name)) as { modelJson: ModelArtifacts['modelJson']; weights: Uint8Array } | undefined;
    if (!rec) {
      const names = await promised(store.getAllKeys());
      fail('loadModel', `no model 'indexeddb://${name}' in IndexedDB (saved models: ${names.length ? names.map(String).join(', ') : 'none'})`);
    }
    return { modelJson: rec.modelJson, weightsBytes: new Uint8Array(rec.weights) };
  } finally {
    db.close();
  }
}

/** What listModels and removeModel report of a stored model (TensorFlow.js's ModelArtifactsInfo, in part). */
export interface StoredModelInfo {
  /** ISO time of the save. */
  dateSaved: string;
  /** Bytes of the model.json text. */
  modelJsonBytes: number;
  /** Bytes of the weights (safetensors). */
  weightDataBytes: number;
}

type StoredRecord = { modelJson: unknown; weights: Uint8Array; dateSaved?: string };

const info = (r: StoredRecord): StoredModelInfo => ({
  dateSaved: r.dateSaved ?? '', modelJsonBytes: new TextEncoder().encode(JSON.stringify(r.modelJson)).length, weightDataBytes: r.weights.byteLength,
});

/** Every model in the 'asgrad' IndexedDB database, keyed by name. */
export async function listIndexedDb(): Promise<Record<string, StoredModelInfo>> {
  const db = await openDb('listModels', 'indexeddb://');
  try {
    const store = db.transaction(STORE, 'readonly').objectStore(STORE);
    const [keys, recs] = await Promise.all([promised(store.getAllKeys()), promised(store.getAll())]);
    const out: Record<string, StoredModelInfo> = {};
    keys.forEach((k, i) => { out[String(k)] = info(recs[i] as StoredRecord); });
    return out;
  } finally {
    db.close();
  }
}

/** Deletes model `name`; returns what it was. Throws (naming the stored models) when there is none. */
export async function removeFromIndexedDb(name: string): Promise<StoredModelInfo> {
  const db = await openDb('removeModel', `indexeddb://${name}`);
  try {
    const tx = db.transaction(STORE, 'readwrite'), store = tx.objectStore(STORE);
    const rec = await promised(store.get(name)) as StoredRecord | undefined;
    if (!rec) {
      const names = await promised(store.getAllKeys());
      fail('removeModel', `no model 'indexeddb://${name}' in IndexedDB (saved models: ${names.length ? names.map(String).join(', ') : 'none'})`);
    }
    store.delete(name);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(new Error(`asgrad.removeModel: IndexedDB refused to delete 'indexeddb://${name}': ${tx.error?.message}`));
    });
    return info(rec);
  } finally {
    db.close();
  }
}

/** Downloads name.json and name.weights.safetensors; model.json must already name that weights file. */
export function triggerDownloads(name: string, a: ModelArtifacts, weightsFile: string): { modelJson: string; weights: string } {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc) fail('save', `'downloads://${name}' needs a page with a document (not available in workers or Node)`);
  const files: [string, Blob][] = [
    [`${name}.json`, new Blob([JSON.stringify(a.modelJson)], { type: 'application/json' })],
    [weightsFile, new Blob([a.weightsBytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' })],
  ];
  for (const [file, blob] of files) {
    const anchor = doc.createElement('a');
    anchor.href = URL.createObjectURL(blob);
    anchor.download = file;
    anchor.click();
    // Revoking at once can cancel the download; the Blob URL is freed a minute later.
    setTimeout(() => URL.revokeObjectURL(anchor.href), 60_000);
  }
  return { modelJson: files[0][0], weights: files[1][0] };
}

async function fetchOk(what: string, url: URL): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    return fail('loadModel', `cannot fetch ${what} ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) fail('loadModel', `cannot fetch ${what} ${url}: HTTP ${res.status} ${res.statusText}`);
  return res;
}

/**
 * Fetches model.json from `url` (absolute, or relative to the page or worker; a URL ending in '/'
 * means its model.json), then the weights file its weightsManifest names, relative to it.
 */
export async function loadFromUrl(url: string): Promise<ModelArtifacts & { jsonUrl: string; weightsUrl: string }> {
  if (typeof fetch !== 'function') fail('loadModel', `'${url}' needs fetch, which this runtime does not have`);
  const base = (globalThis as { location?: { href: string } }).location?.href;
  let jsonUrl: URL;
  try {
    jsonUrl = new URL(url, base);
  } catch {
    return fail('loadModel', `'${url}' is not a valid URL${base ? '' : ' (relative URLs need a page or worker location)'}`);
  }
  if (jsonUrl.pathname.endsWith('/')) jsonUrl = new URL('model.json', jsonUrl);
  const modelJson = parseModelJson(await (await fetchOk('the model file', jsonUrl)).text(), String(jsonUrl));
  const weightsUrl = new URL(modelJson?.weightsManifest?.[0]?.paths?.[0] ?? 'weights.safetensors', jsonUrl);
  const weightsBytes = new Uint8Array(await (await fetchOk('the weights file', weightsUrl)).arrayBuffer());
  return { modelJson, weightsBytes, jsonUrl: String(jsonUrl), weightsUrl: String(weightsUrl) };
}
