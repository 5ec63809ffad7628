// tests/runtime/standalone.test.ts — the runtime-only entry (`tensortune/runtime`): its browser bundle
// holds nothing of the compiler, no static Node import, stays small, and, imported as bundled, reads a
// bundle folder and runs its kernel.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleRuntime } from '../../cli/runtime_bundle.js';
import { compile } from '../../codegen/compile.js';
import { packBundle } from '../../runtime/bundle.js';
import * as t from '../../tir/nodes.js';
import { tempDir } from '../tuning-logs/helpers.js';

const dir = tempDir('standalone');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tensortune/runtime', () => {
  it('bundles without the compiler, binaryen or static Node imports', async () => {
    const b = await bundleRuntime({ minify: true });
    const compilerParts = b.inputs.filter((f) => /binaryen|(^|\/)(schedule|autotune|ops|relay|tuning-logs|cli)\//.test(f) || (/(^|\/)codegen\//.test(f) && !f.endsWith('codegen/wasm/abi.ts')));
    expect(compilerParts).toEqual([]);
    expect(b.inputs).toContain('runtime/wasm_module.ts');
    expect(b.code).not.toMatch(/import[^;]*from\s*"node:/);
    expect(b.bytes).toBeLessThan(200_000); // measured: 54.5 kB minified (the whole library: 15.4 MB)
  }, 120_000);

  it('as bundled, reads a bundle folder and runs its kernel', async () => {
    const n = 5;
    const X = t.buffer('X', [n], 'float32');
    const Y = t.buffer('Y', [n], 'float32');
    const i = t.variable('i');
    const f = t.primFunc('twice', [X, Y], t.forLoop(i, 0, n, 'serial', t.bufferStore(Y, t.mul(t.bufferLoad(X, [i]), t.floatImm(2)), [i])), { argShapes: [[n], [n]] });
    const plan = { kernels: [{ artifact: await compile(f, 'wasm -threads=1'), args: [0, 1] }], constants: [{ data: new Float32Array([1, 2, 3, 4, 5]) }] };
    const { files } = packBundle(plan, { target: 'wasm -threads=1', inputs: [], outputs: [] });
    const out = join(dir, 'b');
    for (const [name, bytes] of files) {
      mkdirSync(dirname(join(out, name)), { recursive: true });
      writeFileSync(join(out, name), bytes);
    }
    const js = join(dir, 'tensortune-runtime.mjs');
    writeFileSync(js, (await bundleRuntime({ minify: true })).code);
    const rt = (await import(pathToFileURL(js).href)) as typeof import('../../runtime/standalone.js');
    const { plan: back } = await rt.readBundle(out);
    const p = back as { kernels: { artifact: import('../../codegen/artifact.js').CompiledArtifact }[]; constants: { data: Float32Array }[] };
    const mod = await rt.loadWasm(p.kernels[0]!.artifact);
    const x = rt.array(p.constants[0]!.data, [n]);
    const y = rt.empty([n]);
    await mod.run(x, y);
    expect(Array.from(y.data)).toEqual([2, 4, 6, 8, 10]);
    mod.dispose();
  }, 120_000);
});
