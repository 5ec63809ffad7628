// tests/autotune/webgpu_timeout.test.ts — a WebGPU candidate that outlives the runner's timeout is a RUN_TIMEOUT record and
// the next candidate is measured: session 17's `tune --op conv2d_nchw_packed … --target 'webgpu -device=llvmpipe'` instead
// aborted the whole process (Dawn's "GPUBuffer.cpp:74: Promise not resolved or rejected: mapAsync()", raised when a worker
// thread is terminated with a buffer mapping pending). The runner runs in a child process of the test, so an abort fails
// this test rather than killing the test runner.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MeasureErrorNo } from '../../autotune/measure/measure_types.js';

const child = fileURLToPath(new URL('./fixtures/webgpu_timeout_child.ts', import.meta.url));

describe('local runner, WebGPU candidate past its timeout', () => {
  it('records RUN_TIMEOUT (naming the shader-compile stage), ends that candidate, and measures the next one', () => {
    // 15 s: the good candidate's device, compile and run fit on a loaded machine; the never-ending one never does.
    const out = spawnSync(process.execPath, ['--import', 'tsx', child, '15'], { encoding: 'utf8', timeout: 540_000 });
    expect(out.stderr).not.toMatch(/Promise not resolved or rejected/);
    expect(out.signal, out.stderr).toBeNull();
    expect(out.status, out.stderr).toBe(0);
    const results = JSON.parse(out.stdout.trim().split('\n').pop()!) as { errorNo: number; errorMsg: string | null; costs: number }[];
    expect(results[0]).toMatchObject({ errorNo: MeasureErrorNo.RUN_TIMEOUT, costs: 0 });
    expect(results[0]!.errorMsg).toMatch(/^loading the kernel and its first run \(the driver's shader compile, \d+ KiB of WGSL\) exceeded the timeout of 15 s$/);
    expect(results[1], results[1]!.errorMsg ?? '').toMatchObject({ errorNo: MeasureErrorNo.NO_ERROR, costs: 1 });
  }, 600_000);
});
