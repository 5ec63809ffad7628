// cli/layout_option.ts — the model layout flags of `tune model.onnx` and `build model.onnx`: --layout
// auto|nchwc|nchw (relay.build's alterOpLayout; default auto), --alter-op-layout (= nchwc),
// --no-alter-op-layout (= nchw), and --winograd auto|on|off (relay.build's winograd; tune also takes 'both':
// auto plus the other candidate's task). Tune and build take the same decision from the same flags.

import { Option, type Command } from 'commander';
import { LAYOUT_MODES, type LayoutMode } from '../relay/transform/alter_op_layout.js';
import type { WinogradOption } from '../relay/transform/conv_impl.js';
import { UsageError } from './errors.js';

export interface RawLayoutOpts {
  readonly layout?: string;
  readonly alterOpLayout?: boolean;
  readonly winograd?: string;
}

/** Adds --layout, --alter-op-layout and --no-alter-op-layout to a command (`verb`: 'tune' or 'build'). */
export function layoutOptions(cmd: Command, verb: 'tune' | 'build'): Command {
  const other = verb === 'tune' ? 'build' : 'tune';
  return cmd
    .addOption(new Option('--layout <layout>', `model: conv layout on wasm: auto (packed NCHW[x]c where the rule in docs/relay.md picks it), nchwc (every conv packed), nchw (none); ${other} with the same`).choices([...LAYOUT_MODES]))
    .option('--alter-op-layout', 'model: the same as --layout nchwc (every convolution packed NCHW[x]c, relay AlterOpLayout; wasm)')
    .option('--no-alter-op-layout', 'model: the same as --layout nchw (no packed convolutions)')
    .addOption(new Option('--winograd <mode>', `model: Winograd F(2×2, 3×3) for 3×3 stride-1 convs on wasm: auto (the logs' faster record, else the rule in docs/relay.md), on, off${verb === 'tune' ? ', both (auto, and tune the other candidate of each such conv too)' : ''}; ${other} with the same`)
      .choices(verb === 'tune' ? ['auto', 'on', 'off', 'both'] : ['auto', 'on', 'off']));
}

/** relay.build's `winograd` from --winograd, and whether extraction lists both candidates ('both', tune only). */
export function winogradFromOptions(o: RawLayoutOpts): { winograd: WinogradOption; bothCandidates: boolean } {
  const m = o.winograd ?? 'auto';
  return { winograd: m === 'on' ? true : m === 'off' ? false : 'auto', bothCandidates: m === 'both' };
}

/** The flag that reproduces `winograd` in a printed build command ('' for the default, auto). */
export function winogradFlag(winograd: WinogradOption): string {
  return winograd === 'auto' ? '' : ` --winograd ${winograd ? 'on' : 'off'}`;
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
