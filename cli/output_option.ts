// cli/output_option.ts — tvmc's conventions shared by every command: `-o/--output <file>` for what a
// command writes (the older `--out` still accepted, hidden from help), and `-v/--verbose` levels.

import { Option, type Command } from 'commander';
import { UsageError } from './errors.js';

/** Raw options of a command with an output file: `-o/--output` or the older `--out`. */
export interface OutputOpts {
  output?: string;
  out?: string;
}

/** Adds `-o, --output <file>` (and the hidden alias `--out`) to `c`. */
export function outputOption(c: Command, what: string, flagValue = '<file>'): Command {
  return c
    .option(`-o, --output ${flagValue}`, what)
    .addOption(new Option(`--out ${flagValue}`, 'the same as --output (older name)').hideHelp());
}

/**
 * The output file given by -o/--output or --out; throws a UsageError naming the option when
 * `required` and none is given, or when both are given with different values.
 */
export function outputOf(o: OutputOpts, command: string, required: true): string;
export function outputOf(o: OutputOpts, command: string, required?: false): string | undefined;
export function outputOf(o: OutputOpts, command: string, required = false): string | undefined {
  if (o.output !== undefined && o.out !== undefined && o.output !== o.out) {
    throw new UsageError(`${command}: -o/--output '${o.output}' and --out '${o.out}' disagree; give one`);
  }
  const file = o.output ?? o.out;
  if (required && file === undefined) throw new UsageError(`${command}: required option '-o, --output <file>' not specified`);
  return file;
}

let level = 0;

/** Sets the verbosity from the number of -v flags (the program's preAction hook does it). */
export function setVerbosity(n: number): void {
  level = Number.isInteger(n) && n > 0 ? n : 0;
}

/** 0 by default, 1 for -v, 2 for -vv; TENSORTUNE_DEBUG=1 counts as -vv. */
export function verbosity(): number {
  return Math.max(level, process.env.TENSORTUNE_DEBUG ? 2 : 0);
}

/** Writes `note: …` to stderr when at least `min` -v flags were given. */
export function note(message: string, min = 1): void {
  if (verbosity() >= min) process.stderr.write(`note: ${message}\n`);
}
