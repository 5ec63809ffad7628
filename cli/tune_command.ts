// cli/tune_command.ts — `tensortune tune`: its options and help. The work is in tune_run.ts, loaded
// only when the command runs (it pulls in the whole compiler and the XGBoost cost model).

import { Option, type Command } from 'commander';
import { opsHelp } from './op_shapes.js';
import { FEATURE_TYPES, TUNERS, tuneArgs, type RawTuneOpts } from './tune_args.js';
import { UsageError } from './errors.js';
import { layoutFromOptions, layoutOptions, winogradFromOptions, type RawLayoutOpts } from './layout_option.js';
import { parseInputShapes } from './model_inputs.js';
import { parseDuration, parseIntOption } from './parse.js';

const HELP = `
Shapes per op:
${opsHelp()}

Examples:
  $ tensortune tune model.onnx --target wasm --log model.jsonl --budget 30m
  $ tensortune tune model.onnx --target 'wasm -threads=2' --log model.jsonl --trials 2000 --resume --input-shapes "x:[1,3,224,224]"
  $ tensortune tune --op dense --shape 1,1024,1000 --target wasm --trials 500 --tuner xgb --log dense.jsonl
  $ tensortune tune --op matmul --shape 512,512,512 --target 'wasm -threads=2' --trials 300 --log mm.jsonl
  $ tensortune tune --op dense --shape 1,1024,1000 --const-b --target 'wasm -threads=1' --trials 24 --log fc.jsonl
  $ tensortune tune --op conv2d --shape N=1,C=64,H=56,W=56,O=64,kernel=3,stride=1,pad=1 --trials 200 --log conv.jsonl
  $ tensortune tune --workload C6 --op conv2d_winograd --target 'wasm -threads=1' --trials 100 --log c6.jsonl
  $ tensortune tune --op depthwise_conv2d --shape C=32,H=112,W=112,kernel=3,pad=1 --epilogue bias,relu6 --log dw.jsonl
  $ tensortune tune --op matmul --shape 512,512,512 --target 'wasm -threads=2' --trials 300 --log mm.jsonl --resume
  $ tensortune tune --op matmul --shape 256,256,256 --target webgpu --trials 100 -o gpu.jsonl --json
  $ tensortune -v tune --op matmul --shape 64,64,64 --trials 20 -o mm.jsonl          # one line per trial
  $ tensortune tune --workload C9 --op conv2d --target webgpu --trials 24 --warm-start default,c6.jsonl -o c9.jsonl
  $ tensortune tune --workload MM-512 --op matmul --target 'wasm -threads=1' --timer process-cpu --trials 200 --roofline-stop 0.85 -o mm.jsonl

Every measured candidate is appended to --log as it finishes (one line each, flushed), so a killed
job loses nothing; --resume skips the configs the log already has for this task, and --trials
counts them. Ctrl-C stops after the batch in flight (exit 130); a second Ctrl-C quits at once.
Progress goes to stderr; --json prints a summary object on stdout.

A model (tensortune tune model.onnx): its tasks (one per distinct conv2d/dense/matmul workload, weighted
by how often one inference runs it) share --trials and/or --budget: a warm-up round per task, then
each round goes to the task expected to cut the most end-to-end latency (Ansor's task scheduler;
--strategy sequential is AutoTVM's equal shares). Progress: trials, tasks, estimated model latency
now vs untuned, ETA (-v: per task); --json prints one event per line. --resume continues the same
schedule from the log.`;

export function addTuneCommand(program: Command): void {
  layoutOptions(program
    .command('tune')
    .argument('[model]', 'an ONNX model: tune all its tasks with the task scheduler'), 'tune')
    .description('auto-tune a model (Ansor task scheduler over its tasks) or one operator (AutoTVM: XGBoost cost model + simulated annealing)')
    .option('--op <op>', 'operator: dense | matmul | batch_matmul | conv2d | conv2d_NCHWc | conv2d_winograd | conv2d_winograd_m4 | conv2d_gemm | conv2d_gemm_NCHWc | conv2d_nchw_packed | depthwise_conv2d | depthwise_conv2d_NCHWc | conv2d_transpose')
    .option('--shape <params>', "the op's sizes: M,K,N for products; named for convs, e.g. N=1,C=64,H=56,W=56,O=64,kernel=3,stride=1,pad=1 (see below)")
    .option('--workload <id>', 'the shape of an entry of the workloads file (C6, D1, MM-512, …) instead of --shape; a --shape beside it holds name=value parameters that replace or add to the entry\'s (--shape transformed=1)')
    .option('--workloads-file <file>', 'the workloads file for --workload (default: $TENSORTUNE_WORKLOADS, else ../shared/workloads.json beside the package, else the shipped data/workloads.json)')
    .option('--epilogue <steps>', 'fused steps after the op, in order: bias, relu, relu6, sigmoid, residual (e.g. bias,relu)')
    .option('--const-b', "dense/matmul/batch_matmul on wasm: B is a model's constant weight, packed once at build time: tune the prepacked task (dense_prepacked.wasm, …), whose measurement does not time the pack; a model build uses its record first")
    .option('--budget <duration>', 'model: a time budget (30m, 1h, 90s) instead of, or besides, --trials')
    .option('--input-shapes <shapes>', 'model: shapes of inputs the file leaves open, tvmc style: "data:[1,3,224,224]"')
    .addOption(new Option('--strategy <s>', 'model: how trials are spread over tasks').choices(['gradient', 'round-robin', 'sequential']).default('gradient'))
    .option('--trials-per-round <n>', "model: trials per scheduler round, the warm-up round included (TVM's num_measures_per_round; default 64); lower it for short budgets")
    .option('-v, --verbose', 'model: per-task detail after every round')
    .option('--target <target>', "target string, e.g. wasm, 'wasm -threads=2', webgpu", 'wasm')
    .option('--trials <n>', 'total trials (resumed ones included)', '200')
    .addOption(new Option('--tuner <tuner>', 'search method').choices([...TUNERS]).default('xgb'))
    .addOption(new Option('--feature-type <type>', 'cost-model features of the xgb tuner (AutoTVM feature_type)').choices([...FEATURE_TYPES]).default('itervar'))
    .option('-o, --output <file>', 'tuning log to append to (JSON lines), as tvmc tune --output; the same as --log')
    .option('--log <file>', 'tuning log to append to (the same as -o/--output)')
    .option('--resume', 'continue from the records of this task already in --log')
    .option('--early-stopping <n>', 'stop when the best has not improved for n trials')
    .option('--seed <n>', 'random seed (same seed, same proposals)', '0')
    .option('--batch <n>', 'configs per batch (built in parallel, then timed one by one)')
    .option('--number <n>', 'runs per measurement (raised until one lasts --min-repeat-ms)', '4')
    .option('--repeat <n>', 'measurements per candidate', '3')
    .option('--min-repeat-ms <ms>', 'minimum duration of one measurement', '50')
    .option('--timeout <s>', 'seconds per build and per run before a candidate counts as timed out', '10')
    .option('--timer <kind>', "what a measurement reads: 'wall' (elapsed time) or 'process-cpu' (the process's CPU time, steady on a loaded machine; wasm -threads=1, or webgpu on lavapipe)", 'wall')
    .option('--warm-start <list>', "measure first: 'default' (the template's default config) and/or the best configs of earlier logs of the same template (other shapes or targets: transferred, invalid ones skipped), comma-separated: default,old.jsonl; the search starts from them")
    .option('--plan-size <n>', 'xgb: configs per plan, the model refitted every n results (AutoTVM: 64; smaller for short runs)')
    .option('--mutation-share <x>', "xgb: share (0-1) of each plan spent on one-knob mutations of the best configs so far (default 0)")
    .option('--roofline-stop <fraction>', "stop tuning a task once its best reaches this share (0-1, e.g. 0.85 as CubeCL) of its roofline bound, min(peak, intensity × bandwidth) from this machine's measured peak (wasm; cached in ~/.cache/tensortune/peak.json or $TENSORTUNE_PEAK_CACHE); a model's other tasks get its trials")
    .option('--remeasure-peak', "with --roofline-stop: measure this machine's peak again (about a minute) instead of reading the cache")
    .option('--json', 'print a JSON summary on stdout')
    .option('--quiet', 'no progress line')
    .addHelpText('after', HELP)
    .action(async (model: string | undefined, o: RawTuneOpts & RawLayoutOpts & { budget?: string; inputShapes?: string; strategy: string; verbose?: boolean; trialsPerRound?: string }, cmd: Command) => {
      if (model !== undefined) {
        if (o.op !== undefined || o.shape !== undefined || o.workload !== undefined) throw new UsageError('tune: give an ONNX model or --op/--shape/--workload, not both');
        if (o.constB === true) throw new UsageError("tune: --const-b tunes one product (--op dense|matmul|batch_matmul); a model's products on constant weights are extracted as prepacked tasks already");
        if (o.warmStart !== undefined || o.planSize !== undefined || o.mutationShare !== undefined) {
          throw new UsageError('tune: --warm-start, --plan-size and --mutation-share tune one operator (--op/--workload), not a model');
        }
        const args = tuneArgs({ ...o, op: '', shape: '' });
        const budgetSeconds = o.budget === undefined ? undefined : parseDuration(o.budget);
        const trialsGiven = cmd.getOptionValueSource('trials') !== 'default';
        const { runTuneModel } = await import('./tune_model_run.js');
        await runTuneModel(model, args, {
          nTrial: budgetSeconds !== undefined && !trialsGiven ? undefined : args.trials, budgetSeconds,
          inputShapes: o.inputShapes === undefined ? {} : parseInputShapes(o.inputShapes),
          verbose: o.verbose ?? false, strategy: o.strategy as 'gradient' | 'round-robin' | 'sequential',
          ...(o.trialsPerRound !== undefined ? { trialsPerRound: parseIntOption(o.trialsPerRound, '--trials-per-round', 1) } : {}),
          alterOpLayout: layoutFromOptions(o), ...winogradFromOptions(o),
        });
        return;
      }
      if (o.workload === undefined && (o.op === undefined || o.shape === undefined)) throw new UsageError('tune: give an ONNX model, or --op and --shape, or --workload <id> (one operator)');
      const args = tuneArgs(o);
      const { runTune } = await import('./tune_run.js');
      await runTune(args);
    });
}
