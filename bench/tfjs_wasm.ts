// bench/tfjs_wasm.ts — starts TensorFlow.js's wasm backend (XNNPACK) the way every bench compares
// against it: wasm binaries from the installed package, a fixed thread count, backend ready.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Selects tfjs-backend-wasm with `threads` threads (1: the single-thread peer); resolves when ready. */
export async function initTfjsWasm(threads = 1): Promise<void> {
  const tf = await import('@tensorflow/tfjs-core');
  const { setThreadsCount, setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  setThreadsCount(threads);
  await tf.setBackend('wasm');
  await tf.ready();
}
