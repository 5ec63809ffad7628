// runtime/target.ts — parses target strings ('wasm -threads=2', 'webgpu -device=llvmpipe') as TVM does.

export type TargetKind = 'wasm' | 'webgpu';

export interface Target {
  readonly kind: TargetKind;
  /** Attributes as given (`-simd=0` → { simd: '0' }), before defaults. */
  readonly attrs: Readonly<Record<string, string>>;
  /** The canonical string: kind then the given attributes sorted by name. Part of every log key. */
  readonly str: string;
}

const KNOWN_ATTRS: Readonly<Record<TargetKind, readonly string[]>> = {
  wasm: ['simd', 'threads', 'relaxed-simd', 'opt'],
  webgpu: ['device', 'max-workgroup-size'],
};

/** Parses a target string; unknown kinds or attributes are errors naming the culprit. */
export function parseTarget(target: string | Target): Target {
  if (typeof target !== 'string') return target;
  const parts = target.trim().split(/\s+/).filter((p) => p.length > 0);
  const kind = parts[0];
  if (kind !== 'wasm' && kind !== 'webgpu') {
    throw new Error(`target '${target}': unknown kind '${kind ?? ''}' (expected 'wasm' or 'webgpu')`);
  }
  const attrs: Record<string, string> = {};
  for (const p of parts.slice(1)) {
    const m = /^-([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(p);
    if (!m) throw new Error(`target '${target}': cannot parse attribute '${p}' (expected -name=value)`);
    const name = m[1]!;
    if (!KNOWN_ATTRS[kind].includes(name)) {
      throw new Error(`target '${target}': unknown attribute -${name} for ${kind} (known: ${KNOWN_ATTRS[kind].map((a) => '-' + a).join(', ')})`);
    }
    attrs[name] = m[2] ?? '1';
  }
  const str = [kind, ...Object.keys(attrs).sort().map((k) => `-${k}=${attrs[k]}`)].join(' ');
  return { kind, attrs, str };
}

/**
 * Logical cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser.
 * node:os is reached through process.getBuiltinModule, never a static import, so this file
 * bundles for the browser unchanged.
 */
export function availableCores(): number {
  if (typeof process !== 'undefined' && typeof process.getBuiltinModule === 'function') {
    return process.getBuiltinModule('node:os').availableParallelism();
  }
  const hc = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof hc === 'number' && hc >= 1 ? hc : 1;
}

function intAttr(t: Target, name: string, fallback: number): number {
  const v = t.attrs[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`target '${t.str}': -${name}=${v} is not a non-negative integer`);
  return n;
}

/** Resolved wasm options: SIMD on by default, threads = available cores by default. */
export function wasmOptions(target: string | Target): { simd: boolean; relaxedSimd: boolean; threads: number; optLevel: number } {
  const t = parseTarget(target);
  if (t.kind !== 'wasm') throw new Error(`target '${t.str}' is not a wasm target`);
  const threads = intAttr(t, 'threads', availableCores());
  if (threads < 1) throw new Error(`target '${t.str}': -threads must be ≥ 1`);
  return {
    simd: intAttr(t, 'simd', 1) !== 0,
    relaxedSimd: intAttr(t, 'relaxed-simd', 0) !== 0,
    threads,
    optLevel: intAttr(t, 'opt', 2),
  };
}

/** The target family used when a log has no record for the exact target ('wasm -threads=2' → 'wasm'). */
export function targetFamily(target: string | Target): TargetKind {
  return parseTarget(target).kind;
}
