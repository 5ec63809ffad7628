// autotune/xgb_booster.ts — a thin typed handle on ml-xgboost's XGBoost-in-WASM: create, train round by
// round (for early stopping), batched prediction. ml-xgboost's own class predicts row by row through
// ml-matrix and trains in one go; its C functions allow both, so we call them directly.

import { createRequire } from 'node:module';

/** The parts of the emscripten module we use. */
interface XgbModule {
  readonly isReady: Promise<XgbModule>;
  cwrap(name: string, ret: string | null, args: readonly string[]): (...a: (number | string)[]) => number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  readonly HEAPF32: Float32Array;
}

interface XgbApi {
  readonly mod: XgbModule;
  createModel(x: number, y: number, rows: number, cols: number): number;
  setParam(h: number, key: string, value: string): void;
  train(h: number, rounds: number): void;
  predictOne(h: number, row: number, cols: number, out: number): number;
  freeModel(h: number): void;
}

let api: Promise<XgbApi> | undefined;

function loadApi(): Promise<XgbApi> {
  if (api) return api;
  const require = createRequire(import.meta.url);
  // Node 20 has fetch, so emscripten tries to stream-compile a file path, fails and warns on
  // stderr before falling back; hiding instantiateStreaming during the synchronous load skips that.
  const wa = WebAssembly as unknown as { instantiateStreaming?: unknown };
  const saved = wa.instantiateStreaming;
  let mod: XgbModule;
  try {
    wa.instantiateStreaming = undefined;
    mod = require('ml-xgboost/dist/wasm/xgboost.js') as XgbModule;
  } finally {
    wa.instantiateStreaming = saved;
  }
  api = mod.isReady.then((m) => ({
    mod: m,
    createModel: m.cwrap('create_model', 'number', ['number', 'number', 'number', 'number']),
    setParam: m.cwrap('set_param', null, ['number', 'string', 'string']) as (h: number, k: string, v: string) => void,
    train: m.cwrap('train_full_model', null, ['number', 'number']) as (h: number, n: number) => void,
    predictOne: m.cwrap('predict_one', 'number', ['number', 'number', 'number', 'number']),
    freeModel: m.cwrap('free_memory_model', null, ['number']) as (h: number) => void,
  }));
  return api;
}

/** XGBoost parameters, as the C API takes them (values are stringified). */
export type BoosterParams = Readonly<Record<string, string | number>>;

/** One gradient-boosted model over a fixed training matrix. Call `free()` when done (WASM memory). */
export class XgbBooster {
  private handle: number;
  private rounds = 0;

  private constructor(private readonly a: XgbApi, handle: number, readonly cols: number) {
    this.handle = handle;
  }

  /** Builds a model over `x` (rows × cols, row-major) with labels `y`; no training yet. */
  static async create(x: Float32Array, y: Float32Array, cols: number, params: BoosterParams): Promise<XgbBooster> {
    const rows = y.length;
    if (cols < 1 || x.length !== rows * cols) throw new RangeError(`xgboost: ${x.length} feature values for ${rows} rows × ${cols} columns`);
    if (rows < 1) throw new RangeError('xgboost: no training rows');
    const a = await loadApi();
    const px = a.mod._malloc(x.byteLength);
    const py = a.mod._malloc(y.byteLength);
    let h: number;
    try {
      a.mod.HEAPF32.set(x, px >>> 2);
      a.mod.HEAPF32.set(y, py >>> 2);
      // The C side copies both into its DMatrix.
      h = a.createModel(px, py, rows, cols);
    } finally {
      a.mod._free(px);
      a.mod._free(py);
    }
    if (!h) throw new Error('xgboost: create_model failed');
    for (const [k, v] of Object.entries(params)) a.setParam(h, k, String(v));
    return new XgbBooster(a, h, cols);
  }

  /** Adds `n` boosting rounds (trees) to the model; rounds accumulate across calls. */
  train(n: number): void {
    this.check();
    this.a.train(this.handle, n);
    this.rounds += n;
  }

  get numRounds(): number {
    return this.rounds;
  }

  /** Predicts every row of `x` (rows × cols, row-major) in one call. */
  predict(x: Float32Array): Float32Array {
    this.check();
    const rows = x.length / this.cols;
    if (!Number.isInteger(rows)) throw new RangeError(`xgboost: ${x.length} values is not a whole number of ${this.cols}-column rows`);
    const out = new Float32Array(rows);
    if (rows === 0) return out;
    const m = this.a.mod;
    const px = m._malloc(x.byteLength);
    const po = m._malloc(4);
    try {
      m.HEAPF32.set(x, px >>> 2);
      for (let r = 0; r < rows; r++) {
        this.a.predictOne(this.handle, px + r * this.cols * 4, this.cols, po);
        out[r] = m.HEAPF32[po >>> 2]!;
      }
    } finally {
      m._free(px);
      m._free(po);
    }
    return out;
  }

  free(): void {
    if (this.handle) this.a.freeModel(this.handle);
    this.handle = 0;
  }

  private check(): void {
    if (!this.handle) throw new Error('xgboost: model used after free()');
  }
}
