// The workload in a Web Worker (module worker): the page posts the ready() options, the worker
// answers { ok: result } or { error }.
import * as ag from '/dist/index.js';
import { workload } from './workload.mjs';

self.onmessage = async (e) => {
  try {
    self.postMessage({ ok: await workload(ag, e.data) });
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
