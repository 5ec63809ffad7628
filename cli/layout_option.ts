// cli/layout_option.ts — the model layout flags of `tune model.onnx` and `build model.onnx`: --layout
// auto|nchwc|nchw (relay.build's alterOpLayout; default auto), --alter-op-layout (= nchwc) and
// --no-alter-op-layout (= nchw). Tune and build take the same decision from the same flags.

import { Option, type Command } from 'commander';
import { LAYOUT_MODES, type LayoutMode } from '../relay/transform/alter_op_layout.js';
import { UsageError } from './errors.js';

export interface RawLayoutOpts {
  readonly layout?: string;
  readonly alterOpLayout?: boolean;
}

/** Adds --layout, --alter-op-layout and --no-alter-op-layout to a command (`verb`: 'tune' or 'build'). */
export function layoutOptions(cmd: Command, verb: 'tune' | 'build'): Command {
  const other = verb === 'tune' ? 'build' : 'tune';
  return cmd
    .addOption(new Option('--layout <layout>', `model: conv layout on wasm: auto (packed NCHW[x]c where the rule in docs/relay.md picks it), nchwc (every conv packed), nchw (none); ${other} with the same`).choices([...LAYOUT_MODES]))
    .option('--alter-op-layout', 'model: the same as --layout nchwc (every convolution packed NCHW[x]c, relay AlterOpLayout; wasm)')
    .option('--no-alter-op-layout', 'model: the same as --layout nchw (no packed convolutions)');
}

/** The layout the flags ask for; contradictory flags are a usage error naming both. */
export function layoutFromOptions(o: RawLayoutOpts): LayoutMode {
  const flag: LayoutMode | undefined = o.alterOpLayout === true ? 'nchwc' : o.alterOpLayout === false ? 'nchw' : undefined;
  const given = o.layout as LayoutMode | undefined;
  if (flag !== undefined && given !== undefined && flag !== given) {
    throw new UsageError(`--layout ${given} contradicts --${o.alterOpLayout ? '' : 'no-'}alter-op-layout (= --layout ${flag}); give one of them`);
  }
  return given ?? flag ?? 'auto';
}

/** The flag that reproduces `mode` in a printed command ('' for the default, auto). */
export function layoutFlag(mode: LayoutMode): string {
  return mode === 'auto' ? '' : ` --layout ${mode}`;
}
