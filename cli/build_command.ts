// cli/build_command.ts — `tensortune build` and `tensortune bench`: options and help. The work is in
// build_run.ts, loaded only when a command runs.

import type { Command } from 'commander';
import { opsHelp } from './op_shapes.js';
import { buildArgs, type BenchArgs, type RawBenchOpts, type RawBuildOpts } from './build_args.js';
import { parseIntOption } from './parse.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function workloadOptions(c: Command): Command {
  return c
    .requiredOption('--op <op>', 'operator: dense | matmul')
    .requiredOption('--shape <dims>', 'comma-separated sizes, meaning per op (see below)')
    .option('--target <target>', "target string, e.g. wasm, 'wasm -threads=2', webgpu", 'wasm')
    .option('--log <file>', 'tuning log(s) to take the best config from (repeatable, or a comma list); default: shipped tophub logs', collect)
    .option('--print-ir', 'print the lowered TIR')
    .option('--json', 'print a JSON summary on stdout');
}

const SHAPES = `
Shapes per op:
${opsHelp()}`;

export function addBuildCommands(program: Command): void {
  workloadOptions(program.command('build'))
    .description('build one operator with the best logged config (no search) and report which config was used')
    .option('--out <file>', 'write the compiled kernel (.wasm binary, or WGSL text for webgpu)')
    .addHelpText('after', `${SHAPES}

Examples:
  $ tensortune build --op dense --shape 1,1024,1000 --target wasm --log dense.jsonl --out dense.wasm
  $ tensortune build --op matmul --shape 64,64,64 --log mm.jsonl --print-ir

The config comes from the best record (lowest mean cost, no error) for this op, shape and exact
target in the logs; else from a record of the same target family (said so); else the template's
default config, with a warning naming the command that would tune it.`)
    .action(async (o: RawBuildOpts) => {
      const args = buildArgs(o);
      const { runBuild } = await import('./build_run.js');
      await runBuild(args);
    });

  workloadOptions(program.command('bench'))
    .description('build one operator as `build` does, run it on the target and print latency and GFLOP/s')
    .option('--number <n>', 'runs per measurement (raised until one lasts --min-repeat-ms)', '10')
    .option('--repeat <n>', 'measurements', '5')
    .option('--min-repeat-ms <ms>', 'minimum duration of one measurement', '100')
    .option('--no-check', 'skip comparing the output with the untuned schedule')
    .option('--seed <n>', 'seed of the random inputs', '0')
    .addHelpText('after', `${SHAPES}

Examples:
  $ tensortune bench --op matmul --shape 512,512,512 --target 'wasm -threads=2' --log mm.jsonl
  $ tensortune bench --op dense --shape 1,1024,1000 --json

Reports TVM time-evaluator statistics over --repeat measurements of --number runs each: mean,
median and min seconds per run, and GFLOP/s at the mean (FLOPs: multiply-add = 2).`)
    .action(async (o: RawBenchOpts) => {
      const args: BenchArgs = {
        ...buildArgs(o),
        number: parseIntOption(o.number, '--number', 1),
        repeat: parseIntOption(o.repeat, '--repeat', 1),
        minRepeatMs: parseIntOption(o.minRepeatMs, '--min-repeat-ms', 0),
        check: o.check,
        seed: parseIntOption(o.seed, '--seed', 0),
      };
      const { runBench } = await import('./build_run.js');
      await runBench(args);
    });
}
