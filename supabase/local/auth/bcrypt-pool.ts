/**
 * bcryptjs in worker threads. A cost-10 hash or compare is ~80 ms of pure JavaScript; on the server's one
 * event loop a burst of sign-ins (scripts/bench-load.ts: 500 students) queued every REST request behind
 * them for seconds. GoTrue (Go) hashes on other cores too. Same library, same hashes, same timing
 * behaviour per call; only where the CPU work runs changes.
 *
 * Workers start on first use (one per core, at most 4), take jobs FIFO, and are unref'd while idle so an
 * idle pool never keeps a process alive. The worker is a plain-JS `eval` script requiring bcryptjs by absolute path, so it runs
 * the same under tsx, Vitest and plain Node without a TypeScript loader.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

type Job = { op: 'hash'; password: string; cost: number } | { op: 'compare'; password: string; hash: string };
type Reply = { id: number; ok: true; value: string | boolean } | { id: number; ok: false; error: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', async ({ id, job }) => {
  try {
    const value = job.op === 'hash' ? await bcrypt.hash(job.password, job.cost) : await bcrypt.compare(job.password, job.hash);
    parentPort.postMessage({ id, ok: true, value });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, error: String((e && e.message) || e) });
  }
});
`;

// The CommonJS build (require condition): an ES import() in the worker would go through the parent's
// module hooks (tsx, Vitest), whose message port then keeps the process alive.
const bcryptPath = createRequire(import.meta.url).resolve('bcryptjs');
const size = Math.max(1, Math.min(4, os.availableParallelism()));

interface Slot {
  worker: Worker;
  busy: number;
}
const slots: Slot[] = [];
const pending = new Map<number, { resolve: (v: string | boolean) => void; reject: (e: Error) => void; slot: Slot }>();
let nextId = 1;

function spawnSlot(): Slot {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath }, execArgv: [] });
  const slot: Slot = { worker, busy: 0 };
  worker.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    slot.busy--;
    if (slot.busy === 0) worker.unref();
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(reply.error));
  });
  worker.on('error', (error) => {
    // A dead worker fails its jobs and is replaced on the next call.
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    for (const [id, p] of pending) {
      if (p.slot !== slot) continue;
      pending.delete(id);
      p.reject(error);
    }
  });
  // After the listeners: adding a 'message' listener re-refs the worker's port.
  worker.unref();
  return slot;
}

function run(job: Job): Promise<string | boolean> {
  while (slots.length < size) slots.push(spawnSlot());
  // The least busy worker: jobs are all about the same cost.
  const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  slot.busy++;
  slot.worker.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, slot });
    slot.worker.postMessage({ id, job });
  });
}

export async function bcryptHash(password: string, cost: number): Promise<string> {
  const v = await run({ op: 'hash', password, cost });
  if (typeof v !== 'string') throw new Error('bcrypt worker returned no hash');
  return v;
}

export async function bcryptCompare(password: string, hash: string): Promise<boolean> {
  return (await run({ op: 'compare', password, hash })) === true;
}
