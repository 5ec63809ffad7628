// tests/runtime/webgpu/graph_progress.test.ts — loading a plan on WebGPU makes each distinct kernel's pipelines once and
// says so as it goes (GraphLoadOptions.onProgress: the first run of a lavapipe bundle with a cold shader cache spent
// minutes silent, session 17); `tensortune run` prints that progress (cli/run_command.ts kernelProgress).

import { afterAll, describe, expect, it } from 'vitest';
import { kernelProgress } from '../../../cli/run_command.js';
import { build } from '../../../relay/backend/build.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { GraphExecutor } from '../../../runtime/graph_executor.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import { inputData, ortRun, relError } from '../../relay/models/reference.js';
import { mobilenet } from '../../relay/models/zoo.js';

afterAll(releaseWebGPU);

describe('WebGPU plan loading progress', () => {
  it('reports pipelines made per distinct kernel, then each kernel\'s first dispatch; the executor runs right', async () => {
    const m = mobilenet();
    const lib = await build(fromOnnx(m.bytes, { shapes: m.inputs }), { target: 'webgpu' });
    const distinct = new Set(lib.plan.kernels.map((k) => k.artifact)).size;
    const calls: [number, number, string][] = [];
    const ex = await GraphExecutor.load(lib.plan, { onProgress: (done, total, stage) => calls.push([done, total, stage]) });
    const upTo = (n: number, stage: string): [number, number, string][] => Array.from({ length: n + 1 }, (_, i) => [i, n, stage]);
    // Pipelines of each distinct kernel made once, then every kernel of the plan dispatched once.
    expect(calls).toEqual([...upTo(distinct, 'create'), ...upTo(lib.plan.kernels.length, 'dispatch')]);
    const x = inputData(m.inputs['x']!, 3);
    const [ref] = await ortRun(m.bytes, { x: { data: x, shape: m.inputs['x']! } });
    const outs = await ex.run({ x });
    expect(relError(outs[0]!.toArray(), ref!)).toBeLessThan(1e-4);
    ex.dispose();
    lib.dispose();
  }, 300_000);

  it('kernelProgress: a log gets the start, each tenth and the end; a terminal one redrawn line', () => {
    const lines: string[] = [];
    const p = kernelProgress((s) => lines.push(s), false);
    for (let i = 0; i <= 20; i++) p(i, 20, 'dispatch');
    expect(lines.map((l) => /: (\d+)\/20 /.exec(l)![1])).toEqual(['0', '2', '4', '6', '8', '10', '12', '14', '16', '18', '20']);
    expect(lines[0]).toMatch(/^first dispatch of 20 WebGPU kernels \(the driver compiles each\): 0\/20 \(\d+ s\)\n$/);
    const tty: string[] = [];
    const q = kernelProgress((s) => tty.push(s), true);
    for (let i = 0; i <= 3; i++) q(i, 3, 'create');
    expect(tty).toHaveLength(4);
    expect(tty.every((l) => l.startsWith('\r\x1b[K'))).toBe(true);
    expect(tty[3]).toMatch(/creating 3 WebGPU pipelines: 3\/3 \(0 s\)\n$/);
  });
});
