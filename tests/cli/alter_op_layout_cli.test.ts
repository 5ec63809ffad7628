// tests/cli/alter_op_layout_cli.test.ts — `tune model.onnx --alter-op-layout` tunes the packed
// NCHW[x]c convolutions relay.build meets with AlterOpLayout, and `build --alter-op-layout --log`
// (and the default --layout auto, which packs this model's convs) takes those records, `build
// --no-alter-op-layout` does not; the bundle's output matches onnxruntime-node on the same file and inputs.
// extractTasks with the default layout gives the tasks relay.build's default meets.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../runtime/bundle.js';
import { loadBundle } from '../../runtime/standalone.js';
import { decodeRecord } from '../../tuning-logs/record.js';
import { inputData, ortRun, relError } from '../relay/models/reference.js';
import { resnet } from '../relay/models/zoo.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { runCli } from './run_cli.js';

const dir = tempDir('alter-op-layout-cli');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FAST = ['--number', '1', '--repeat', '1', '--min-repeat-ms', '0', '--timeout', '30'];
const TARGET = 'wasm -threads=1';

describe('tensortune tune/build --alter-op-layout', () => {
  it('tunes the packed conv tasks, builds with their records, and matches onnxruntime-node', async () => {
    const m = resnet();
    const model = join(dir, 'resnet.onnx');
    writeFileSync(model, m.bytes);
    const log = join(dir, 'packed.jsonl');
    const t = await runCli(['tune', model, '--alter-op-layout', '--target', TARGET, '--trials', '8', '--trials-per-round', '1', '--tuner', 'random', '--log', log, '--json', ...FAST]);
    expect(t.code, t.stderr).toBe(0);
    const done = JSON.parse(t.stdout.trim().split('\n').at(-1)!) as { kind: string; tasks: { name: string }[] };
    expect(done.kind).toBe('done');
    // The convolutions are the packed template's tasks, not NCHW ones.
    expect(done.tasks.some((x) => x.name.startsWith('conv2d_NCHWc'))).toBe(true);
    expect(done.tasks.some((x) => x.name.startsWith('conv2d_nchw'))).toBe(false);
    const records = readFileSync(log, 'utf8').trim().split('\n').map(decodeRecord);
    expect(records.some((r) => r.input[1] === 'conv2d_NCHWc.wasm')).toBe(true);

    const out = join(dir, 'out');
    const b = await runCli(['build', model, '--alter-op-layout', '--target', TARGET, '--log', log, '-o', out]);
    expect(b.code, b.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    const fromLog = manifest.kernels.filter((k) => k['source'] === 'log') as unknown as { template?: string }[];
    expect(fromLog.length).toBeGreaterThan(0);
    expect(JSON.stringify(fromLog)).toContain('conv2d_NCHWc.wasm');

    // Without a flag (--layout auto, the default) this model's convs (rows ≤ 20 wide) are packed too, so
    // the build takes the same records; with --no-alter-op-layout they do not fit the NCHW convolutions.
    const auto = await runCli(['build', model, '--target', TARGET, '--log', log, '-o', join(dir, 'auto'), '--json']);
    expect(auto.code, auto.stderr).toBe(0);
    expect(readFileSync(join(dir, 'auto', 'manifest.json'), 'utf8')).toContain('conv2d_NCHWc.wasm');
    const plain = await runCli(['build', model, '--no-alter-op-layout', '--target', TARGET, '--log', log, '-o', join(dir, 'plain'), '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(readFileSync(join(dir, 'plain', 'manifest.json'), 'utf8')).not.toContain('conv2d_NCHWc.wasm');

    const [name, shape] = Object.entries(m.inputs)[0]!;
    const x = inputData(shape, 5);
    const want = (await ortRun(m.bytes, { [name]: { data: x, shape } }))[0]!;
    const bundle = await loadBundle(out);
    try {
      const outs = await bundle.executor.run({ [name]: x });
      expect(relError(outs[0]!.toArray(), want)).toBeLessThan(1e-4);
      for (const o of outs) o.free();
    } finally {
      bundle.executor.dispose();
    }
  }, 900_000);
});
