// cli/run_profile.ts — `tensortune run <bundle> --profile`: the per-kernel profile of a loaded bundle
// (runtime/graph_profile.ts, TVM's debug_executor) as a table, each kernel with the schedule the build gave it
// (the manifest's provenance: log or TopHub config index, or the template's default), or as JSON.

import type { GraphProfile, KernelProfile } from '../runtime/graph_profile.js';
import { formatProfile } from '../runtime/graph_profile.js';
import type { LoadedBundle } from '../runtime/standalone.js';
import type { Timer } from '../runtime/module.js';
import { UsageError } from './errors.js';
import { oneOf, parseIntOption } from './parse.js';

export interface RawProfileOpts {
  runs?: string;
  timer?: string;
  top?: string;
  sort?: string;
}

export interface ProfileSettings {
  readonly runs: number;
  readonly timer: Timer;
  readonly top: number | undefined;
  readonly sort: 'time' | 'order';
}

/** Checks the profile options (usage errors name the option); --runs etc. without --profile are refused. */
export function profileSettings(o: RawProfileOpts, profile: boolean): ProfileSettings | undefined {
  if (!profile) {
    const stray = (['runs', 'timer', 'top', 'sort'] as const).find((k) => o[k] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} applies to --profile only; add --profile`);
    return undefined;
  }
  return {
    runs: parseIntOption(o.runs ?? '50', '--runs', 1),
    timer: oneOf(o.timer ?? 'wall', ['wall', 'process-cpu'] as const, '--timer'),
    top: o.top === undefined ? undefined : parseIntOption(o.top, '--top', 1),
    sort: oneOf(o.sort ?? 'time', ['time', 'order'] as const, '--sort'),
  };
}

/** The schedule of each plan kernel as the manifest records it: 'log #12', 'tophub #7', 'default', or '-' (no tunable operator). */
export function configLabels(b: LoadedBundle): (k: KernelProfile) => string {
  const byIndex = b.executor.plan.kernels.map((pk) => {
    const entry = b.manifest.kernels.find((e) => e.meta === pk.artifact.meta);
    const source = entry?.['source'];
    const config = entry?.['config'] as { index?: number } | null | undefined;
    if (typeof source !== 'string') return '?';
    if (source === 'log' || source === 'tophub') return `${source} #${config?.index ?? '?'}`;
    return source === 'default' ? 'default' : '-';
  });
  return (k) => byIndex[k.index] ?? '?';
}

/** Profiles the bundle on `feeds`; a target or option the profiler refuses is a usage error. */
export async function profileBundle(b: LoadedBundle, feeds: Readonly<Record<string, Float32Array | Int32Array>>, s: ProfileSettings): Promise<GraphProfile> {
  try {
    return await b.executor.profile(feeds, { runs: s.runs, timer: s.timer });
  } catch (e) {
    if (e instanceof RangeError || /per-kernel profiling/.test((e as Error).message)) throw new UsageError(`--profile: ${(e as Error).message}`);
    throw e;
  }
}

/** The profile as the command prints it: the table with a config column, or JSON (kernels with their config). */
export function renderProfile(b: LoadedBundle, p: GraphProfile, s: ProfileSettings, json: boolean): string {
  const config = configLabels(b);
  if (json) return JSON.stringify({ target: b.manifest.target, ...p, kernels: p.kernels.map((k) => ({ ...k, config: config(k) })) }, null, 2);
  return formatProfile(p, { sort: s.sort, config, ...(s.top !== undefined ? { top: s.top } : {}) });
}
