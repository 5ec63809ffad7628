// bench/bench_args.ts — one argument reader for every bench (node:util parseArgs): `--key value` and
// `--key=value`, defaults, positionals, `--help` listing each option with its default, and a bad option
// answered with the bench's name and exit 2 (the CLI's bad-usage code), never a silent default.

import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface BenchUsage<O extends Options> {
  /** The script as a user types it, e.g. 'bench/ops.ts'. */
  readonly script: string;
  /** What the bench measures, one or two lines. */
  readonly about: string;
  /** Positional arguments in order (each optional), with what they mean and their default. */
  readonly positionals?: readonly { readonly name: string; readonly help: string }[];
  /** parseArgs options; a string option's value is validated by the bench (int, list below). */
  readonly options: O;
  /** One line per option for --help. */
  readonly help: { readonly [K in keyof O]: string };
}

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/** The --help text: usage line, about, positionals and options with their defaults. */
export function usageText<O extends Options>(u: BenchUsage<O>): string {
  const pos = (u.positionals ?? []).map((p) => ` [${p.name}]`).join('');
  const lines = [`usage: npx tsx ${u.script}${pos} [options]`, '', u.about, ''];
  for (const p of u.positionals ?? []) lines.push(`  ${p.name.padEnd(24)} ${p.help}`);
  if ((u.positionals ?? []).length > 0) lines.push('');
  for (const [name, o] of Object.entries(u.options)) {
    const flag = `--${name}${o.type === 'string' ? ' <value>' : ''}`;
    const def = o.default !== undefined && o.default !== false && o.default !== '' ? ` (default: ${String(o.default)})` : '';
    lines.push(`  ${flag.padEnd(24)} ${u.help[name as keyof O]}${def}`);
  }
  lines.push(`  ${'-h, --help'.padEnd(24)} this text`);
  return lines.join('\n') + '\n';
}

/** A usage error: the bench's name, the problem, where to look; exits 2. */
export function usageError(script: string, message: string): never {
  process.stderr.write(`${script}: ${message} (see: npx tsx ${script} --help)\n`);
  process.exit(2);
}

/** What reading the arguments came to: the parsed values, the --help text, or a usage error. */
export type BenchArgsResult<O extends Options> =
  | { readonly kind: 'ok'; readonly parsed: Parsed<O> }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'error'; readonly message: string };

/** Reads `argv` against `u` without exiting (benchArgs is this plus the exits). */
export function readBenchArgs<const O extends Options>(u: BenchUsage<O>, argv: readonly string[]): BenchArgsResult<O> {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: usageText(u) };
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...argv], options: u.options, allowPositionals: true, strict: true }) as Parsed<O>;
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
  const max = u.positionals?.length ?? 0;
  if (parsed.positionals.length > max) {
    return { kind: 'error', message: `unexpected argument '${parsed.positionals[max]}'${max === 0 ? ' (this bench takes options only)' : ` (takes ${max}: ${u.positionals!.map((p) => p.name).join(', ')})`}` };
  }
  return { kind: 'ok', parsed };
}

/**
 * Reads `argv` (default: this process's arguments) against `u.options`: --help prints the usage and
 * exits 0; an unknown option, a missing value or too many positionals is a usageError (exit 2).
 * With TENSORTUNE_BENCH_ARGS_ONLY=1 in the environment it prints the parsed arguments as JSON and
 * exits 0 before the bench runs (how the documented command lines are checked without running them).
 */
export function benchArgs<const O extends Options>(u: BenchUsage<O>, argv: readonly string[] = process.argv.slice(2)): Parsed<O> {
  const r = readBenchArgs(u, argv);
  if (r.kind === 'help') {
    process.stdout.write(r.text);
    process.exit(0);
  }
  if (r.kind === 'error') return usageError(u.script, r.message);
  if (process.env['TENSORTUNE_BENCH_ARGS_ONLY'] === '1') {
    process.stdout.write(JSON.stringify({ script: u.script, values: r.parsed.values, positionals: r.parsed.positionals }) + '\n');
    process.exit(0);
  }
  return r.parsed;
}

/** `v` as an integer ≥ `min`, else a usage error naming `--name`. */
export function intArg(script: string, name: string, v: string | undefined, min = 1): number {
  const n = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isInteger(n) || n < min) usageError(script, `${name} must be an integer ≥ ${min}, got '${v}'`);
  return n;
}

/** A comma-separated list, blanks dropped. */
export function listArg(v: string | undefined): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The options of an interleaved A/B bench (bench/interleave.ts): rounds, and measurements per side per round. */
export const ROUNDS_OPTIONS = { rounds: { type: 'string', default: '5' }, repeat: { type: 'string', default: '9' } } as const;
export const ROUNDS_HELP = { rounds: 'interleaved rounds', repeat: 'measurements per side per round' } as const;

/** --rounds and --repeat of a bench parsed with ROUNDS_OPTIONS, as positive integers (usage error otherwise). */
export function roundsArgs(script: string, opt: { rounds?: string; repeat?: string }): { rounds: number; repeat: number } {
  return { rounds: intArg(script, 'rounds', opt.rounds), repeat: intArg(script, 'repeat', opt.repeat) };
}
