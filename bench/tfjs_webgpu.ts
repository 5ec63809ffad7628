// bench/tfjs_webgpu.ts — @tensorflow/tfjs-backend-webgpu started in Node on the adapter the bench already holds, for the
// WebGPU probes that time tfjs-webgpu beside our kernels in one process.

import type * as TF from '@tensorflow/tfjs-core';

/**
 * Imports tfjs-core and the WebGPU backend with `navigator.gpu` set to `gpu` (the backend registers itself only if
 * `navigator.gpu` exists at import) and makes it the active backend. Throws an Error when tf.setBackend('webgpu') fails.
 */
export async function startTfjsWebgpu(gpu: unknown): Promise<typeof TF> {
  const tf = await import('@tensorflow/tfjs-core');
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  g.navigator!.gpu = gpu;
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs-backend-webgpu did not start on this adapter (tf.setBackend returned false)');
  return tf;
}
