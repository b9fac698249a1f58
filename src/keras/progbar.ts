// The verbose = 1 progress bar: on a terminal one line per epoch redrawn in place with the bar,
// loss, metrics and time left; elsewhere (CI logs, browsers) one line at each epoch's end.
// The layout is Python Keras' (`12/469 [=>....] - ETA: 3s - loss: ...`), not tfjs-node's.
import type { Callback, Logs } from './callbacks';

type Out = { write(s: string): unknown; isTTY?: boolean; columns?: number };

function stdout(): Out | null {
  const p = (globalThis as { process?: { stdout?: Out } }).process;
  return p?.stdout ?? null;
}

const fmtTime = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`
  : s >= 60 ? `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}` : `${s.toFixed(0)}s`);

const fmtLogs = (logs: Logs) => Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');

export class ProgressBar implements Callback {
  private readonly out: Out | null;
  private readonly tty: boolean;
  private epochStart = 0;
  private lastDraw = 0;
  private sums = new Map<string, number>();
  private seen = 0;
  private readonly log: (line: string) => void;

  constructor(private readonly epochs: number, private readonly batches: number, out: Out | null = stdout()) {
    this.out = out;
    this.tty = !!out?.isTTY;
    this.log = out ? (l) => out.write(l + '\n') : (l) => console.log(l);
  }

  onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.lastDraw = -Infinity;
    this.sums.clear();
    this.seen = 0;
    this.log(`Epoch ${epoch + 1}/${this.epochs}`);
  }

  /** `logs` holds the batch's own values (and `size`); the bar shows the epoch's running means. */
  onBatchEnd(batch: number, logs: Logs = {}): void {
    const size = logs.size ?? 1;
    this.seen += size;
    for (const [k, v] of Object.entries(logs)) if (k !== 'batch' && k !== 'size') this.sums.set(k, (this.sums.get(k) ?? 0) + v * size);
    if (!this.tty || !this.out) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && batch + 1 < this.batches) return;
    this.lastDraw = now;
    const done = batch + 1;
    const elapsed = (now - this.epochStart) / 1000;
    const eta = (elapsed / done) * (this.batches - done);
    const width = 30;
    const filled = Math.round((done / this.batches) * width);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled < width ? '>' : '=') + '.'.repeat(width - filled);
    const line = `${String(done).padStart(String(this.batches).length)}/${this.batches} [${bar}] - ETA: ${fmtTime(eta)} - ${fmtLogs(this.running())}`;
    this.out.write('\r' + line.slice(0, (this.out.columns ?? 120) - 1) + '\x1b[K');
  }

  private running(): Logs {
    const r: Logs = {};
    for (const [k, v] of this.sums) r[k] = v / Math.max(1, this.seen);
    return r;
  }

  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const secs = (performance.now() - this.epochStart) / 1000;
    const perStep = (secs * 1000) / Math.max(1, this.batches);
    const line = `${this.batches}/${this.batches} [${'='.repeat(30)}] - ${fmtTime(secs)} ${perStep.toFixed(0)}ms/step - ${fmtLogs(logs)}`;
    if (this.tty && this.out) this.out.write('\r' + line + '\x1b[K\n');
    else this.log(line);
  }
}
