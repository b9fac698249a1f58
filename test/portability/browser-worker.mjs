// The workload in a Web Worker (module worker): the page posts the ready() options, the worker
// answers { ok: result } or { error }; with `threadsCheck: true` in the options, also { threads }
// (threads-check.mjs) after the workload.
import * as ag from '/dist/index.js';
import { workload } from './workload.mjs';
import { threadsCheck } from './threads-check.mjs';

self.onmessage = async (e) => {
  try {
    const { threadsCheck: check, ...options } = e.data;
    const ok = await workload(ag, options);
    self.postMessage({ ok, threads: check ? await threadsCheck(ag) : undefined });
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
