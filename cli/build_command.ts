// cli/build_command.ts — `tensortune build` and `tensortune bench`: options and help. The work is in
// build_run.ts, loaded only when a command runs.

import type { Command } from 'commander';
import { opsHelp } from './op_shapes.js';
import { buildArgs, type BenchArgs, type RawBenchOpts, type RawBuildOpts } from './build_args.js';
import { UsageError } from './errors.js';
import { layoutFromOptions, layoutOptions, winogradFromOptions, type RawLayoutOpts } from './layout_option.js';
import { outputOption } from './output_option.js';
import { parseInputShapes } from './model_inputs.js';
import { parseIntOption } from './parse.js';
import { benchBundle, type RawModelBenchOpts } from './run_command.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function workloadOptions(c: Command): Command {
  return c
    .option('--op <op>', 'operator: dense | matmul | batch_matmul | conv2d | conv2d_NCHWc | conv2d_winograd | conv2d_winograd_m4 | conv2d_gemm | conv2d_gemm_NCHWc | conv2d_nchw_packed | depthwise_conv2d | depthwise_conv2d_NCHWc | conv2d_transpose')
    .option('--shape <params>', "the op's sizes: M,K,N for products; named for convs, e.g. N=1,C=64,H=56,W=56,O=64,kernel=3,stride=1,pad=1 (see below)")
    .option('--workload <id>', 'the shape of an entry of the workloads file (C6, D1, MM-512, …) instead of --shape; a --shape beside it holds name=value parameters that replace or add to the entry\'s (--shape transformed=1)')
    .option('--workloads-file <file>', 'the workloads file for --workload (default: $TENSORTUNE_WORKLOADS, else ../shared/workloads.json beside the package, else the shipped data/workloads.json)')
    .option('--epilogue <steps>', 'fused steps after the op, in order: bias, relu, relu6, sigmoid, residual (e.g. bias,relu)')
    .option('--target <target>', "target string, e.g. wasm, 'wasm -threads=2', webgpu", 'wasm')
    .option('--log <file>', 'tuning log(s) to take the best config from (repeatable, or a comma list); default: shipped tophub logs', collect)
    .option('--print-ir', 'print the lowered TIR')
    .option('--json', 'print a JSON summary on stdout');
}

const SHAPES = `
Shapes per op:
${opsHelp()}`;

export function addBuildCommands(program: Command): void {
  layoutOptions(outputOption(workloadOptions(program.command('build')), 'model: the bundle folder to write; operator: write the compiled kernel (.wasm, or WGSL for webgpu)', '<path>')
    .argument('[model]', 'an ONNX model: build it into a bundle folder (-o out/)'), 'build')
    .description('build an ONNX model into a deployable bundle, or one operator, with the best logged configs (no search)')
    .option('--input-shapes <shapes>', 'model: shapes of inputs the file leaves open, tvmc style: "data:[1,3,224,224] mask:[1,10]"')
    .addHelpText('after', `${SHAPES}

Examples:
  $ tensortune build model.onnx --target wasm --log model.jsonl -o out/
  $ tensortune build model.onnx --target webgpu --log a.jsonl,b.jsonl --input-shapes "x:[1,3,224,224]" -o out-gpu/
  $ tensortune build --op dense --shape 1,1024,1000 --target wasm --log dense.jsonl -o dense.wasm
  $ tensortune build --op matmul --shape 64,64,64 --log mm.jsonl --print-ir
  $ tensortune build --op conv2d --shape N=1,C=64,H=56,W=56,O=64,kernel=3,pad=1 --log conv.jsonl -o conv.wasm
  $ tensortune build --workload D1 --target 'wasm -threads=1' -o d1.wasm        # shipped TopHub log, if any
  $ tensortune build --op matmul --shape 256,256,256 --target webgpu --log gpu.jsonl --output mm.wgsl --json

The config comes from the best record (lowest mean cost, no error) for this op, shape and exact
target in the logs; else from a record of the same target family (said so); else the template's
default config, with a warning naming the command that would tune it.`)
    .action(async (model: string | undefined, o: RawBuildOpts & RawLayoutOpts & { inputShapes?: string }) => {
      if (model !== undefined) {
        if (o.op !== undefined || o.shape !== undefined || o.workload !== undefined) throw new UsageError('build: give an ONNX model or --op/--shape/--workload, not both');
        const { target, logs, json, out } = buildArgs({ ...o, op: '', shape: '' });
        if (out === undefined) throw new UsageError('build model.onnx: give the bundle folder to write with -o out/');
        const inputShapes = o.inputShapes === undefined ? {} : parseInputShapes(o.inputShapes);
        const { buildModel } = await import('./build_model.js');
        await buildModel({ model, target, logs, out, inputShapes, json, alterOpLayout: layoutFromOptions(o), winograd: winogradFromOptions(o).winograd });
        return;
      }
      requireOp(o, 'build');
      const args = buildArgs(o);
      const { runBuild } = await import('./build_run.js');
      await runBuild(args);
    });

  workloadOptions(program.command('bench'))
    .argument('[bundle]', 'a bundle folder (tensortune build -o): time the whole model instead of one operator')
    .description('time a built model (median/p90; --compare onnxruntime), or build one operator as `build` does and time it')
    .option('--number <n>', 'operator: runs per measurement (raised until one lasts --min-repeat-ms) [10]')
    .option('--repeat <n>', 'measurements [operator 5, model 20]')
    .option('--min-repeat-ms <ms>', 'minimum duration of one measurement [operator 100, model 50]')
    .option('--warmup-ms <ms>', 'model: warm-up before timing, each side: at least 10 runs and this long [500]')
    .option('--no-check', 'operator: skip comparing the output with the untuned schedule')
    .option('--seed <n>', 'seed of the random inputs', '0')
    .option('--compare <peer>', 'model: also time this peer in the same process: onnxruntime')
    .option('--model <file.onnx>', 'model: the ONNX file for --compare (default: the one the bundle was built from)')
    .option('--input <name=file.npy>', 'model: an input from a .npy file (repeatable); default: seeded random', collect)
    .option('--random', 'model: random values for the inputs not given')
    .addHelpText('after', `${SHAPES}

Examples:
  $ tensortune bench out/ --compare onnxruntime
  $ tensortune bench --op matmul --shape 512,512,512 --target 'wasm -threads=2' --log mm.jsonl
  $ tensortune bench --op dense --shape 1,1024,1000 --json

A model: a warm-up (≥ 10 runs and --warmup-ms; V8 tiers wasm code up over the first calls), then
TVM's time evaluator over whole-model runs (inputs set once), --repeat measurements of at
least --min-repeat-ms, median and p90 seconds per run; with --compare onnxruntime, onnxruntime-web
(wasm, the target's -threads, else 2) runs the source ONNX file on the same inputs in this process,
outputs are compared, then timed the same way, and the ratio is printed.
An operator: --repeat measurements of --number runs each: mean, median and min seconds per run,
and GFLOP/s at the mean (FLOPs: multiply-add = 2).`)
    .action(async (bundle: string | undefined, o: RawBenchOpts & RawModelBenchOpts & { number?: string; repeat?: string; minRepeatMs?: string }) => {
      if (bundle !== undefined) {
        if (o.op !== undefined || o.shape !== undefined || o.workload !== undefined) throw new UsageError('bench: give a bundle folder or --op/--shape/--workload, not both');
        await benchBundle(bundle, { ...o, repeat: o.repeat ?? '20', minRepeatMs: o.minRepeatMs ?? '50', warmupMs: o.warmupMs ?? '500' });
        return;
      }
      requireOp(o, 'bench');
      const args: BenchArgs = {
        ...buildArgs(o),
        number: parseIntOption(o.number ?? '10', '--number', 1),
        repeat: parseIntOption(o.repeat ?? '5', '--repeat', 1),
        minRepeatMs: parseIntOption(o.minRepeatMs ?? '100', '--min-repeat-ms', 0),
        check: o.check,
        seed: parseIntOption(o.seed, '--seed', 0),
      };
      const { runBench } = await import('./build_run.js');
      await runBench(args);
    });
}

function requireOp(o: { op?: string; shape?: string; workload?: string }, command: string): void {
  if (o.workload === undefined && (o.op === undefined || o.shape === undefined)) {
    throw new UsageError(`${command}: give --op and --shape, or --workload <id> (one operator)${command === 'bench' ? ', or a bundle folder (tensortune bench out/)' : ''}`);
  }
}
