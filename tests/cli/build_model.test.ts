// tests/cli/build_model.test.ts — a real model end to end through the command: `build model.onnx -o out/`
// (the ResNet-style test model), the manifest's provenance, `run` on it (and `run --profile`), and `bench --compare
// onnxruntime`, which checks our outputs against onnxruntime-web's on the same inputs before timing.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../runtime/bundle.js';
import { resnet } from '../relay/models/zoo.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { runCli } from './run_cli.js';

const dir = tempDir('build-model');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = join(dir, 'resnet.onnx');
writeFileSync(model, resnet().bytes);
const out = join(dir, 'out');

describe('tensortune build model.onnx', () => {
  it('writes a bundle whose manifest names each kernel’s task, config and source', async () => {
    const r = await runCli(['build', model, '--target', 'wasm -threads=1', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    expect(m.format).toBe('tensortune-bundle');
    expect(m.target).toBe('wasm -threads=1');
    expect(m.inputs).toEqual([{ name: 'x', shape: [1, 3, 20, 20], dtype: 'float32' }]);
    expect(m.outputs).toHaveLength(1);
    expect(m.outputs[0]!.shape).toEqual([1, 5]);
    const anchored = m.kernels.filter((k) => k['task'] !== undefined) as unknown as { task: { template: string }; source: string; config: unknown }[];
    expect(anchored.length).toBeGreaterThan(0);
    expect(anchored.some((k) => k.task.template.startsWith('conv2d'))).toBe(true);
    for (const k of anchored) expect(['log', 'tophub', 'default']).toContain(k.source);
    expect((m['model'] as { file: string; sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.weights.bytes).toBeGreaterThan(4 * 8 * 3 * 9);
  }, 600_000);

  it('runs with the runtime only, and matches onnxruntime-web on the same inputs', async () => {
    const run = await runCli(['run', out, '--random', '--seed', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const j = JSON.parse(run.stdout) as { outputs: { name: string; shape: number[]; nonFinite: number }[] };
    expect(j.outputs[0]!.shape).toEqual([1, 5]);
    expect(j.outputs[0]!.nonFinite).toBe(0);
    const bench = await runCli(['bench', out, '--compare', 'onnxruntime', '--seed', '2', '--repeat', '3', '--min-repeat-ms', '5', '--json']);
    expect(bench.code, bench.stderr).toBe(0);
    const b = JSON.parse(bench.stdout) as { latency: { median: number }; onnxruntime: { maxRelativeError: number; ratio: number } };
    expect(b.onnxruntime.maxRelativeError).toBeLessThan(1e-4);
    expect(b.latency.median).toBeGreaterThan(0);
  }, 600_000);

  it('run --profile: every kernel of the plan once, with its fused ops and the schedule the manifest names', async () => {
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest & { plan: { kernels: { name: string; artifact: { $kernel: number } }[] } };
    const r = await runCli(['run', out, '--random', '--profile', '--runs', '5', '--timer', 'process-cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { runs: number; kernels: { index: number; name: string; ops: string[]; config: string; median: number }[]; sumOfMedians: number };
    expect(p.runs).toBe(5);
    expect(p.kernels.map((k) => k.index)).toEqual(m.plan.kernels.map((_, i) => i));
    expect(p.kernels.map((k) => k.name)).toEqual(m.plan.kernels.map((k) => k.name));
    p.kernels.forEach((k, i) => {
      const entry = m.kernels[m.plan.kernels[i]!.artifact.$kernel]! as { source?: string; config?: { index: number } | null };
      const want = entry.source === 'log' || entry.source === 'tophub' ? `${entry.source} #${entry.config!.index}` : entry.source === 'default' ? 'default' : '-';
      expect(k.config, k.name).toBe(want);
    });
    expect(p.kernels.some((k) => k.config !== '-')).toBe(true);
    expect(p.kernels.some((k) => k.ops.includes('nn.relu'))).toBe(true);
    const text = await runCli(['run', out, '--random', '--profile', '--runs', '3', '--top', '4']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#\s+median µs\s+mean µs\s+%\s+cum %\s+ops\s+shapes \(inputs → output\)\s+config$/);
    expect(lines).toHaveLength(1 + 4 + 2);
    expect(lines[5]).toMatch(new RegExp(`^… ${p.kernels.length - 4} more kernels$`));
    expect(lines[6]).toMatch(new RegExp(`^${p.kernels.length} kernels, 3 runs, timer wall: sum of kernel medians [\\d.]+ µs`));
  }, 600_000);

  it('refuses what it cannot build, naming it', async () => {
    const noOut = await runCli(['build', model]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/give the bundle folder to write with -o out\//);
    const both = await runCli(['build', model, '--op', 'matmul', '--shape', '8,8,8', '-o', out]);
    expect(both.code).toBe(2);
    const missing = await runCli(['build', join(dir, 'nope.onnx'), '-o', join(dir, 'o2')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/model '.*nope\.onnx' does not exist/);
    writeFileSync(join(dir, 'other.txt'), 'x');
    const notEmpty = await runCli(['build', model, '-o', dir]);
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toMatch(/holds other files, not a bundle/);
  }, 600_000);
});
