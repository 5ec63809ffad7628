// cli/program.ts — the `tensortune` command tree (commander) and how errors become exit codes.

import { Command, CommanderError } from 'commander';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, ExitError, UsageError } from './errors.js';
import { addBuildCommands } from './build_command.js';
import { addLogsCommand } from './logs_command.js';
import { addRunCommand } from './run_command.js';
import { addServeCommand } from './serve_command.js';
import { addTuneCommand } from './tune_command.js';
import { VERSION } from '../tuning-logs/record.js';

const EXAMPLES = `
Examples:
  $ tensortune tune --op dense --shape 1,1024,1000 --target wasm --trials 500 --tuner xgb --log dense.jsonl
  $ tensortune tune --op matmul --shape 512,512,512 --log mm.jsonl --resume          # continue a killed job
  $ tensortune build --op dense --shape 1,1024,1000 --target wasm --log dense.jsonl --out dense.wasm
  $ tensortune bench --op matmul --shape 512,512,512 --target 'wasm -threads=2' --log mm.jsonl
  $ tensortune logs stats dense.jsonl
  $ tensortune logs plot xgb.jsonl random.jsonl --out curve.svg
  $ tensortune run out/ --input data=cat.npy -o results/ # a built model, runtime only
  $ tensortune bench out/ --compare onnxruntime          # model latency vs onnxruntime-web
  $ tensortune serve out/                                # bundle + example page, COOP/COEP

Exit codes: 0 ok · 1 failure (build/run error, bad lines under validate) · 2 bad usage or input
            · 130 tuning stopped by Ctrl-C (every finished record kept)`;

/** The whole command tree; `name` is how help text calls the program. */
export function createProgram(): Command {
  const program = new Command('tensortune');
  // Set before subcommands are added: commander copies these settings into each of them.
  program
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .description('a TVM-style auto-tuning tensor compiler for WebAssembly and WebGPU')
    .version(VERSION)
    .addHelpText('after', EXAMPLES);
  addTuneCommand(program);
  addBuildCommands(program);
  addLogsCommand(program);
  addRunCommand(program);
  addServeCommand(program);
  return program;
}

/** Runs the command line (argv without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version "errors" are successes; anything else commander rejects is bad usage.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ExitError) {
      process.stderr.write(`${e.exitCode === EXIT_INTERRUPTED ? 'stopped' : 'error'}: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`error: ${err.message}\n`);
    if (process.env.TENSORTUNE_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT_FAILURE;
  }
}
