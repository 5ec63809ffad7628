// target/target.ts — target strings ('wasm -threads=2', 'webgpu -device=llvmpipe') as TVM's
// include/tvm/target/: parse, canonical string, family matching. The bottom layer: imports nothing of ours.

export type TargetKind = 'wasm' | 'webgpu';

export interface Target {
  readonly kind: TargetKind;
  /** Attributes as given (`-simd=0` → { simd: '0' }), before defaults. */
  readonly attrs: Readonly<Record<string, string>>;
  /** The canonical string: kind then the given attributes sorted by name. Part of every log key. */
  readonly str: string;
}

const KNOWN_ATTRS: Readonly<Record<TargetKind, readonly string[]>> = {
  wasm: ['simd', 'threads', 'relaxed-simd', 'opt', 'strength-reduce'],
  webgpu: ['device', 'max-workgroup-size', 'subgroup-size'],
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

/** The target family used when a log has no record for the exact target ('wasm -threads=2' → 'wasm'). */
export function targetFamily(target: string | Target): TargetKind {
  return parseTarget(target).kind;
}

/**
 * The canonical form of a target string as logs and builds key it: 'wasm  -threads=2' and
 * 'wasm -threads=2' are one target. Strings this project cannot parse (another tool's target in
 * a shared log) are kept, whitespace-normalized, instead of throwing.
 */
export function canonicalTarget(target: string): string {
  try {
    return parseTarget(target).str;
  } catch {
    return target.trim().split(/\s+/).join(' ');
  }
}

/** The family of any target string (its first word when this project cannot parse it); never throws. */
export function familyOf(target: string): string {
  try {
    return targetFamily(target);
  } catch {
    return target.trim().split(/\s+/)[0] ?? target;
  }
}

/** True when two target strings are of one family ('wasm -threads=2' and 'wasm -simd=0'). */
export function sameFamily(a: string, b: string): boolean {
  return familyOf(a) === familyOf(b);
}
