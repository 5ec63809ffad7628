// runtime/bundle.ts — the deployable bundle format: a graph executor plan split into manifest.json, one
// file per compiled kernel (.wasm or .wgsl) and one weights.bin; packing and checked unpacking.
//
// The plan (relay.build's output, run by runtime/graph_executor.ts) is plain data except for two
// things: compiled kernels ({ target, format, bytes, meta }) and typed arrays (weights). Packing
// replaces each kernel by { "$kernel": i } and each typed array by { "$tensor": { dtype, offset,
// length } } into weights.bin; unpacking puts them back. Everything else is kept as JSON, so the
// format does not depend on the plan's other fields.

import type { CompiledArtifact } from '../codegen/artifact.js';

export const BUNDLE_FORMAT = 'tensortune-bundle';
export const BUNDLE_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';
/** Each weight starts at a multiple of this many bytes (typed-array views need 4; 64 suits SIMD and caches). */
const ALIGN = 64;

/** A model input or output as the manifest lists it. */
export interface TensorInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
}

/** One kernel of the bundle: its file, and where its schedule came from (task, config, log record). */
export interface KernelEntry {
  readonly file: string;
  readonly format: 'wasm' | 'wgsl';
  readonly target: string;
  readonly bytes: number;
  readonly meta: Readonly<Record<string, unknown>>;
  /** Free-form provenance from the build: task, config, source ('log' | 'tophub' | 'default'), the log record. */
  readonly [key: string]: unknown;
}

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: number;
  /** The target the kernels were built for (canonical string). */
  readonly target: string;
  /** The device the configs were tuned on (the log records' device fingerprint), when known. */
  readonly tunedOn?: Readonly<Record<string, unknown>> | null;
  readonly createdBy: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly kernels: readonly KernelEntry[];
  readonly weights: { readonly file: string; readonly bytes: number; readonly tensors: number };
  /** The executor plan with kernels and weights replaced by references. */
  readonly plan: unknown;
  /** Anything else the build wants to record (the source model, the logs used). */
  readonly [key: string]: unknown;
}

export interface PackInfo {
  readonly target: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly tunedOn?: Readonly<Record<string, unknown>> | null;
  readonly createdBy?: string;
  /** Provenance per kernel, by the order kernels are met in the plan (depth-first). */
  readonly kernelInfo?: (artifact: CompiledArtifact, index: number) => Readonly<Record<string, unknown>>;
  readonly extra?: Readonly<Record<string, unknown>>;
}

type Typed = Float32Array | Int32Array;

function isArtifact(x: unknown): x is CompiledArtifact {
  if (typeof x !== 'object' || x === null) return false;
  const a = x as Partial<CompiledArtifact>;
  return (a.format === 'wasm' || a.format === 'wgsl') && a.bytes instanceof Uint8Array && typeof a.target === 'string' && typeof a.meta === 'object';
}

function safeName(s: unknown): string {
  return String(s ?? 'kernel').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60) || 'kernel';
}

/**
 * Splits a plan into bundle files: manifest.json, kernels/NNN_name.{wasm,wgsl}, weights.bin.
 * Kernels met twice (the same artifact object) are stored once. Throws a TypeError naming the
 * path of anything that is not plain data (a function, a class instance other than the above).
 */
export function packBundle(plan: unknown, info: PackInfo): { manifest: BundleManifest; files: Map<string, Uint8Array> } {
  const kernels: KernelEntry[] = [];
  const kernelFiles: Uint8Array[] = [];
  const seenKernels = new Map<CompiledArtifact, number>();
  const tensors: { data: Typed; offset: number }[] = [];
  const seenTensors = new Map<Typed, number>();
  let weightBytes = 0;

  const walk = (x: unknown, path: string): unknown => {
    if (x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') {
      if (typeof x === 'number' && !Number.isFinite(x)) throw new TypeError(`packBundle: ${path} is ${x}, which JSON cannot hold`);
      return x;
    }
    if (x === undefined) return undefined;
    if (isArtifact(x)) {
      let i = seenKernels.get(x);
      if (i === undefined) {
        i = kernels.length;
        seenKernels.set(x, i);
        const file = `kernels/${String(i).padStart(3, '0')}_${safeName(x.meta['name'])}.${x.format}`;
        kernels.push({ file, format: x.format, target: x.target, bytes: x.bytes.length, meta: x.meta, ...(info.kernelInfo?.(x, i) ?? {}) });
        kernelFiles.push(x.bytes);
      }
      return { $kernel: i };
    }
    if (x instanceof Float32Array || x instanceof Int32Array) {
      let off = seenTensors.get(x);
      if (off === undefined) {
        off = Math.ceil(weightBytes / ALIGN) * ALIGN;
        seenTensors.set(x, off);
        tensors.push({ data: x, offset: off });
        weightBytes = off + x.byteLength;
      }
      return { $tensor: { dtype: x instanceof Float32Array ? 'float32' : 'int32', offset: off, length: x.length } };
    }
    if (Array.isArray(x)) return x.map((v, i) => walk(v, `${path}[${i}]`) ?? null);
    if (typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        if (k === '$kernel' || k === '$tensor') throw new TypeError(`packBundle: ${path}.${k}: keys '$kernel' and '$tensor' are reserved by the bundle format`);
        const w = walk(v, `${path}.${k}`);
        if (w !== undefined) out[k] = w;
      }
      return out;
    }
    throw new TypeError(`packBundle: ${path} is ${typeof x === 'object' ? (x as object).constructor?.name ?? 'an object' : typeof x}, not plain data (the plan must be JSON plus kernels and typed arrays)`);
  };

  const planJson = walk(plan, 'plan');
  const weights = new Uint8Array(weightBytes);
  for (const t of tensors) weights.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), t.offset);
  const manifest: BundleManifest = {
    ...(info.extra ?? {}),
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    target: info.target,
    tunedOn: info.tunedOn ?? null,
    createdBy: info.createdBy ?? 'tensortune',
    inputs: info.inputs,
    outputs: info.outputs,
    kernels,
    weights: { file: WEIGHTS_FILE, bytes: weightBytes, tensors: tensors.length },
    plan: planJson,
  };
  const files = new Map<string, Uint8Array>();
  files.set(MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(manifest, null, 1) + '\n'));
  kernels.forEach((k, i) => files.set(k.file, kernelFiles[i]!));
  files.set(WEIGHTS_FILE, weights);
  return { manifest, files };
}

/** Reads one bundle file by its relative path (fs in Node, fetch in a browser). */
export type ReadFile = (file: string) => Promise<Uint8Array>;

const FILE_RE = /^(kernels\/)?[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function fail(what: string): never {
  throw new TypeError(`bundle: ${what}`);
}

/** Checks a manifest's own fields (not the files); returns it typed. */
export function checkManifest(m: unknown): BundleManifest {
  if (typeof m !== 'object' || m === null) fail('manifest.json is not a JSON object');
  const b = m as Partial<BundleManifest>;
  if (b.format !== BUNDLE_FORMAT) fail(`manifest.json: format is ${JSON.stringify(b.format)}, expected '${BUNDLE_FORMAT}' (is this a bundle written by tensortune build -o?)`);
  if (b.version !== BUNDLE_VERSION) fail(`manifest.json: version ${String(b.version)} is not supported by this runtime (it reads version ${BUNDLE_VERSION}); rebuild the bundle`);
  if (typeof b.target !== 'string') fail('manifest.json: target is missing');
  for (const key of ['inputs', 'outputs'] as const) {
    if (!Array.isArray(b[key])) fail(`manifest.json: ${key} must be a list`);
    b[key]!.forEach((t, i) => {
      if (typeof t?.name !== 'string' || !Array.isArray(t.shape) || !(t.shape as unknown[]).every((d) => Number.isInteger(d) && (d as number) >= 0) || typeof t.dtype !== 'string') {
        fail(`manifest.json: ${key}[${i}] needs name, shape (non-negative integers) and dtype`);
      }
    });
  }
  if (!Array.isArray(b.kernels)) fail('manifest.json: kernels must be a list');
  b.kernels.forEach((k, i) => {
    if (typeof k?.file !== 'string' || !FILE_RE.test(k.file) || k.file.includes('..')) fail(`manifest.json: kernels[${i}].file ${JSON.stringify(k?.file)} is not a file name inside the bundle`);
    if (k.format !== 'wasm' && k.format !== 'wgsl') fail(`manifest.json: kernels[${i}].format must be 'wasm' or 'wgsl'`);
    if (!Number.isInteger(k.bytes) || typeof k.target !== 'string' || typeof k.meta !== 'object' || k.meta === null) fail(`manifest.json: kernels[${i}] needs bytes, target and meta`);
  });
  const w = b.weights;
  if (typeof w?.file !== 'string' || !FILE_RE.test(w.file) || !Number.isInteger(w.bytes) || w.bytes < 0) fail('manifest.json: weights needs file and bytes');
  return b as BundleManifest;
}

/**
 * Rebuilds the plan from a manifest and its files: kernels as CompiledArtifacts, weights as typed
 * arrays (views into one weights buffer). Throws a TypeError naming the manifest field or file
 * that is wrong: a missing or resized file, a reference out of range, a misaligned weight.
 */
export async function unpackBundle(manifestJson: unknown, read: ReadFile): Promise<{ manifest: BundleManifest; plan: unknown }> {
  const manifest = checkManifest(manifestJson);
  const load = async (file: string, bytes: number, what: string): Promise<Uint8Array> => {
    let data: Uint8Array;
    try {
      data = await read(file);
    } catch (e) {
      fail(`${what} '${file}' cannot be read: ${(e as Error).message}`);
    }
    if (data.length !== bytes) fail(`${what} '${file}' has ${data.length} bytes, the manifest says ${bytes} (a partial copy or a mix of two builds?)`);
    return data;
  };
  const [weights, ...kernelBytes] = await Promise.all([
    load(manifest.weights.file, manifest.weights.bytes, 'weights file'),
    ...manifest.kernels.map((k, i) => load(k.file, k.bytes, `kernels[${i}] file`)),
  ]);
  // A fresh, aligned buffer (a fetch or fs read may hand back a view at any offset).
  const wbuf = new ArrayBuffer(weights!.length);
  new Uint8Array(wbuf).set(weights!);
  const artifacts = manifest.kernels.map((k, i): CompiledArtifact => ({ target: k.target, format: k.format, bytes: kernelBytes[i]!, meta: k.meta }));

  const walk = (x: unknown, path: string): unknown => {
    if (Array.isArray(x)) return x.map((v, i) => walk(v, `${path}[${i}]`));
    if (typeof x !== 'object' || x === null) return x;
    const o = x as Record<string, unknown>;
    if ('$kernel' in o) {
      const i = o.$kernel;
      if (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= artifacts.length) fail(`${path}: kernel reference ${JSON.stringify(i)} is out of range (${artifacts.length} kernels)`);
      return artifacts[i as number];
    }
    if ('$tensor' in o) {
      const t = o.$tensor as { dtype?: unknown; offset?: unknown; length?: unknown };
      const { offset, length } = t;
      if (t.dtype !== 'float32' && t.dtype !== 'int32') fail(`${path}: weight dtype ${JSON.stringify(t.dtype)} is not float32 or int32`);
      if (!Number.isInteger(offset) || !Number.isInteger(length) || (offset as number) < 0 || (length as number) < 0 || (offset as number) % 4 !== 0) fail(`${path}: weight offset/length must be non-negative integers, the offset a multiple of 4`);
      if ((offset as number) + (length as number) * 4 > wbuf.byteLength) fail(`${path}: weight [${offset as number}, +${(length as number) * 4}) lies outside ${manifest.weights.file} (${wbuf.byteLength} bytes)`);
      return t.dtype === 'float32' ? new Float32Array(wbuf, offset as number, length as number) : new Int32Array(wbuf, offset as number, length as number);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = walk(v, `${path}.${k}`);
    return out;
  };
  return { manifest, plan: walk(manifest.plan, 'plan') };
}
