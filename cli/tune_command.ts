// cli/tune_command.ts — `tensortune tune`: its options and help. The work is in tune_run.ts, loaded
// only when the command runs (it pulls in the whole compiler and the XGBoost cost model).

import { Option, type Command } from 'commander';
import { opsHelp } from './op_shapes.js';
import { FEATURE_TYPES, TUNERS, tuneArgs, type RawTuneOpts } from './tune_args.js';

const HELP = `
Shapes per op:
${opsHelp()}

Examples:
  $ tensortune tune --op dense --shape 1,1024,1000 --target wasm --trials 500 --tuner xgb --log dense.jsonl
  $ tensortune tune --op matmul --shape 512,512,512 --target 'wasm -threads=2' --trials 300 --log mm.jsonl
  $ tensortune tune --op matmul --shape 512,512,512 --target 'wasm -threads=2' --trials 300 --log mm.jsonl --resume
  $ tensortune tune --op matmul --shape 256,256,256 --target webgpu --trials 100 --log gpu.jsonl --json

Every measured candidate is appended to --log as it finishes (one line each, flushed), so a killed
job loses nothing; --resume skips the configs the log already has for this task, and --trials
counts them. Ctrl-C stops after the batch in flight (exit 130); a second Ctrl-C quits at once.
Progress goes to stderr; --json prints a summary object on stdout.`;

export function addTuneCommand(program: Command): void {
  program
    .command('tune')
    .description('auto-tune one operator on one target (AutoTVM: XGBoost cost model + simulated annealing)')
    .requiredOption('--op <op>', 'operator: dense | matmul')
    .requiredOption('--shape <dims>', 'comma-separated sizes, meaning per op (see below)')
    .option('--target <target>', "target string, e.g. wasm, 'wasm -threads=2', webgpu", 'wasm')
    .option('--trials <n>', 'total trials (resumed ones included)', '200')
    .addOption(new Option('--tuner <tuner>', 'search method').choices([...TUNERS]).default('xgb'))
    .addOption(new Option('--feature-type <type>', 'cost-model features of the xgb tuner (AutoTVM feature_type)').choices([...FEATURE_TYPES]).default('itervar'))
    .requiredOption('--log <file>', 'tuning log to append to (JSON lines)')
    .option('--resume', 'continue from the records of this task already in --log')
    .option('--early-stopping <n>', 'stop when the best has not improved for n trials')
    .option('--seed <n>', 'random seed (same seed, same proposals)', '0')
    .option('--batch <n>', 'configs per batch (built in parallel, then timed one by one)')
    .option('--number <n>', 'runs per measurement (raised until one lasts --min-repeat-ms)', '4')
    .option('--repeat <n>', 'measurements per candidate', '3')
    .option('--min-repeat-ms <ms>', 'minimum duration of one measurement', '50')
    .option('--timeout <s>', 'seconds per build and per run before a candidate counts as timed out', '10')
    .option('--json', 'print a JSON summary on stdout')
    .option('--quiet', 'no progress line')
    .addHelpText('after', HELP)
    .action(async (o: RawTuneOpts) => {
      const args = tuneArgs(o);
      const { runTune } = await import('./tune_run.js');
      await runTune(args);
    });
}
