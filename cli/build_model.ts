// cli/build_model.ts — `tensortune build model.onnx -o out/`: import the ONNX model, relay.build it with
// the logs' best configs, and write the bundle (manifest with each kernel's config and record, kernels,
// weights.bin) that `run`, `bench`, `serve` and the runtime-only entry load.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, formatReport, type GraphModule } from '../relay/backend/build.js';
import { fromOnnx } from '../relay/frontend/onnx.js';
import type { LayoutMode } from '../relay/transform/alter_op_layout.js';
import type { WinogradOption } from '../relay/transform/conv_impl.js';
import { packBundle, MANIFEST_FILE, type BundleManifest } from '../runtime/bundle.js';
import { parseTarget } from '../target/index.js';
import { applyHistoryBest, loadTophub, type ApplyHistoryBest } from '../tuning-logs/apply_history_best.js';
import { TOOL_VERSION } from '../tuning-logs/record.js';
import { workloadKey } from '../tuning-logs/workload_key.js';
import { ExitError, UsageError } from './errors.js';

export interface BuildModelArgs {
  readonly model: string;
  readonly target: string;
  /** Log files; empty: the shipped TopHub logs. */
  readonly logs: readonly string[];
  readonly out: string;
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
  readonly json: boolean;
  /** relay.build's alterOpLayout (default auto): packed NCHW[x]c convolutions on wasm (tune with the same). */
  readonly alterOpLayout?: LayoutMode;
  /** relay.build's winograd (default auto): Winograd F(2×2, 3×3) for 3×3 stride-1 convs on wasm (tune with the same). */
  readonly winograd?: WinogradOption;
}

/** Reads and imports the ONNX file; a model the importer refuses is a usage error naming the file. */
export function importOnnx(file: string, shapes: Readonly<Record<string, readonly number[]>>): { mod: ReturnType<typeof fromOnnx>; bytes: Uint8Array } {
  if (!existsSync(file)) throw new UsageError(`model '${file}' does not exist`);
  const bytes = new Uint8Array(readFileSync(file));
  try {
    return { mod: fromOnnx(bytes, { shapes }), bytes };
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
}

/** Refuses an output folder that holds anything but an earlier bundle (checked before building). */
function checkOut(out: string): void {
  if (existsSync(out) && !existsSync(join(out, MANIFEST_FILE)) && readdirSync(out).length > 0) {
    throw new UsageError(`-o '${out}' is a folder that holds other files, not a bundle; give an empty or new folder`);
  }
}

/** Writes bundle files into `out`, replacing an earlier bundle there. */
function writeBundle(out: string, files: Map<string, Uint8Array>): void {
  checkOut(out);
  if (existsSync(join(out, MANIFEST_FILE))) rmSync(join(out, 'kernels'), { recursive: true, force: true });
  for (const [name, bytes] of files) {
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), bytes);
  }
}

/** Builds the model and writes the bundle; prints the build report. Resolves with the manifest. */
export async function buildModel(a: BuildModelArgs): Promise<BundleManifest> {
  checkOut(a.out);
  const { mod, bytes } = importOnnx(a.model, a.inputShapes);
  const target = parseTarget(a.target);
  const ctx: ApplyHistoryBest = a.logs.length > 0 ? applyHistoryBest(a.logs) : loadTophub(target.str);
  let gm: GraphModule;
  try {
    gm = await build(mod, { target, tuningLogs: ctx, alterOpLayout: a.alterOpLayout ?? 'auto', winograd: a.winograd ?? 'auto' });
  } catch (e) {
    throw new ExitError(`building ${a.model} for '${target.str}' failed: ${(e as Error).message}`, 1);
  }
  try {
    const report = gm.report;
    // Distinct artifacts appear in the plan in the order relay.build lowered them: report.kernels[i].
    const devices = new Map<string, unknown>();
    const kernelInfo = (_: unknown, i: number): Record<string, unknown> => {
      const k = report.kernels[i];
      if (k === undefined) return {};
      const anchor = k.anchor;
      if (anchor === undefined) return { name: k.name, uses: k.uses, source: 'default schedule (no tunable operator)' };
      const hit = ctx.lookup(target.str, workloadKey(anchor.template, anchor.args));
      if (hit?.record.device !== undefined) devices.set(JSON.stringify(hit.record.device), hit.record.device);
      return {
        name: k.name, uses: k.uses,
        task: { template: anchor.template, args: anchor.args },
        source: anchor.source === 'log' ? (a.logs.length > 0 ? 'log' : 'tophub') : 'default',
        config: hit?.config ?? (anchor.configIndex !== undefined ? { index: anchor.configIndex } : null),
        record: hit ? { file: hit.file ?? null, line: hit.line ?? null, exact: hit.exact, entry: hit.record } : null,
        ...(anchor.note !== undefined ? { note: anchor.note } : {}),
      };
    };
    const io = (x: { name: string; shape: readonly number[]; dtype: string }) => ({ name: x.name, shape: [...x.shape], dtype: x.dtype });
    const { manifest, files } = packBundle(gm.plan, {
      target: target.str, inputs: gm.plan.inputs.map(io), outputs: gm.plan.outputs.map(io), createdBy: TOOL_VERSION, kernelInfo,
      extra: {
        model: { file: resolve(a.model), sha256: createHash('sha256').update(bytes).digest('hex'), inputShapes: a.inputShapes },
        logs: a.logs.map((l) => resolve(l)),
        memory: report.memory,
      },
    });
    const tunedOn = [...devices.values()];
    const final: BundleManifest = { ...manifest, tunedOn: tunedOn.length === 0 ? null : tunedOn.length === 1 ? (tunedOn[0] as Record<string, unknown>) : { devices: tunedOn } };
    files.set(MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(final, null, 1) + '\n'));
    writeBundle(a.out, files);
    if (a.json) {
      process.stdout.write(JSON.stringify({ out: resolve(a.out), target: target.str, kernels: final.kernels.map(({ meta: _m, ...k }) => k), weightsBytes: final.weights.bytes, memory: report.memory, seconds: report.seconds }, null, 2) + '\n');
    } else {
      process.stdout.write(`${formatReport(report)}\nwrote ${resolve(a.out)}: ${final.kernels.length} kernels, weights ${(final.weights.bytes / 1024).toFixed(0)} KiB\n`);
    }
    return final;
  } finally {
    gm.dispose();
  }
}
