// runtime/worker_source.ts — the code a pool worker runs, as plain JavaScript source, so the same
// text starts a Node worker_thread (eval) or a browser Web Worker (Blob URL) without a bundler or tsx.

/** Layout of one worker's slot in the shared control array (Int32 indices). */
export const SLOT = { SEQ: 0, DONE: 1, MODULE: 2, FN: 3, BEGIN: 4, END: 5, ARGS: 6, SCRATCH: 7, ERROR: 8, MSG: 16, INTS: 64 } as const;

const BODY = `
const S = ${JSON.stringify(SLOT)};
const exportsById = new Map();
let ctrl = null, base = 0, hot = 0, memory = null;
function handle(msg) {
  if (msg.type === 'init') {
    ctrl = new Int32Array(msg.ctrl); base = msg.slot * S.INTS; hot = msg.hot; memory = msg.memory;
    loop();
    post({ type: 'ready' });
  } else if (msg.type === 'load') {
    try {
      const inst = new WebAssembly.Instance(msg.module, { env: { memory, parallel_for: () => { throw new Error('nested parallel dispatch from a worker'); } } });
      exportsById.set(msg.id, { exports: inst.exports, pars: [] });
      post({ type: 'loaded', id: msg.id });
    } catch (e) {
      post({ type: 'loaded', id: msg.id, error: String(e && e.message || e) });
    }
  } else if (msg.type === 'unload') {
    exportsById.delete(msg.id);
  }
}
// After a task, spin briefly for the next one (timing loops dispatch back to back) before
// parking in waitAsync, which keeps the event loop free for 'load' messages but wakes slowly
// (~0.1-1 ms). While the hot flag (ctrl[hot], set from a model run's first hand-off to a worker
// until the run ends, ThreadPool.beginRun/endRun) is set, spin without limit, so each further
// kernel of the run finds the worker awake.
const SPIN_MS = 0.25;
async function loop() {
  let seen = Atomics.load(ctrl, base + S.SEQ);
  for (;;) {
    let cur = Atomics.load(ctrl, base + S.SEQ);
    const until = performance.now() + SPIN_MS;
    while (cur === seen && (Atomics.load(ctrl, hot) !== 0 || performance.now() < until)) cur = Atomics.load(ctrl, base + S.SEQ);
    if (cur === seen) {
      const w = Atomics.waitAsync(ctrl, base + S.SEQ, seen);
      if (w.async) await w.value;
      continue; // a new task, or a run began: look again
    }
    seen = cur;
    let err = 0;
    try {
      const ex = exportsById.get(ctrl[base + S.MODULE]);
      if (!ex) throw new Error('module ' + ctrl[base + S.MODULE] + ' is not loaded in this worker');
      const fn = ctrl[base + S.FN];
      const body = ex.pars[fn] || (ex.pars[fn] = ex.exports['par_' + fn]);
      body(ctrl[base + S.BEGIN], ctrl[base + S.END], ctrl[base + S.ARGS], ctrl[base + S.SCRATCH]);
    } catch (e) {
      err = 1;
      const text = String(e && e.message || e).slice(0, S.INTS - S.MSG - 1);
      for (let i = 0; i < text.length; i++) ctrl[base + S.MSG + i] = text.charCodeAt(i);
      ctrl[base + S.MSG + text.length] = 0;
    }
    ctrl[base + S.ERROR] = err;
    Atomics.store(ctrl, base + S.DONE, seen);
    Atomics.notify(ctrl, base + S.DONE);
  }
}
`;

/** Source for a Node worker started with { eval: true }. */
export const NODE_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
parentPort.on('message', (m) => handle(m));
${BODY}`;

/** Source for a browser Web Worker (module-less classic worker). */
export const BROWSER_WORKER_SOURCE = `
const post = (m) => self.postMessage(m);
self.onmessage = (e) => handle(e.data);
${BODY}`;
