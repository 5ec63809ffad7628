// runtime/ndarray.ts — tensors living in the shared wasm linear memory: creation, copy in/out.

import type { DataType } from '../tir/nodes.js';
import { memoryPool, type MemoryPool } from './memory_pool.js';
import type { NDArrayLike } from './module.js';

export type NDDType = 'float32' | 'int32';

function checkShape(shape: readonly number[], what: string): number {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: shape must be an array of non-negative integers`);
  let n = 1;
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0) throw new TypeError(`${what}: shape[${i}] = ${d} is not a non-negative integer`);
    n *= d;
  });
  return n;
}

function checkDtype(dtype: string, what: string): NDDType {
  if (dtype !== 'float32' && dtype !== 'int32') throw new TypeError(`${what}: dtype '${dtype}' is not supported (float32 or int32)`);
  return dtype;
}

/** An n-d array in wasm memory. `data` is a fresh view on every access, since memory can grow. */
export class NDArray implements NDArrayLike {
  readonly shape: readonly number[];
  readonly dtype: NDDType;
  readonly size: number;
  private off: number;
  /** Set on views: the array that owns the memory. */
  private base: NDArray | undefined;

  constructor(shape: readonly number[], dtype: NDDType = 'float32', readonly pool: MemoryPool = memoryPool()) {
    this.size = checkShape(shape, 'NDArray');
    this.shape = Object.freeze([...shape]);
    this.dtype = checkDtype(dtype, 'NDArray');
    this.off = pool.alloc(this.size * 4);
  }

  /** Byte address in the shared memory (what wasm kernels receive). */
  get byteOffset(): number {
    if (this.off < 0 || this.base?.freed) throw new Error('NDArray: used after free()');
    return this.off;
  }

  /**
   * An array of another shape (and dtype, 4 bytes per element) over the start of this one's memory,
   * as TVM's NDArray.CreateView: the graph executor runs tensors of several shapes in one planned
   * buffer. The view owns nothing (its free() releases nothing) and dies with its base.
   */
  view(shape: readonly number[], dtype: NDDType = this.dtype): NDArray {
    const size = checkShape(shape, 'NDArray.view');
    if (size > this.size) throw new RangeError(`NDArray.view: shape [${shape.join(', ')}] needs ${size} elements, the array has ${this.size}`);
    const v = Object.create(NDArray.prototype) as NDArray;
    Object.assign(v, { shape: Object.freeze([...shape]), dtype: checkDtype(dtype, 'NDArray.view'), size, pool: this.pool, off: this.byteOffset, base: this.base ?? this });
    return v;
  }

  get data(): Float32Array | Int32Array {
    const buf = this.pool.memory.buffer;
    return this.dtype === 'float32' ? new Float32Array(buf, this.byteOffset, this.size) : new Int32Array(buf, this.byteOffset, this.size);
  }

  /** Copies values in; the source must have exactly `size` elements. */
  copyFrom(src: Float32Array | Int32Array | readonly number[] | NDArrayLike): this {
    const values = 'shape' in src && !Array.isArray(src) ? (src as NDArrayLike).data : (src as Float32Array | Int32Array | readonly number[]);
    if (values.length !== this.size) {
      throw new RangeError(`NDArray.copyFrom: source has ${values.length} elements, array of shape [${this.shape.join(', ')}] has ${this.size}`);
    }
    this.data.set(values);
    return this;
  }

  /** A copy of the values, detached from wasm memory. */
  toArray(): Float32Array | Int32Array {
    return this.data.slice();
  }

  free(): void {
    if (this.base !== undefined) {
      this.off = -1;
      return;
    }
    if (this.off >= 0) {
      this.pool.release(this.off);
      this.off = -1;
    }
  }

  get freed(): boolean {
    return this.off < 0 || this.base?.freed === true;
  }
}

/** A new array holding a copy of `data` (dtype from the typed array, else float32). */
export function array(data: Float32Array | Int32Array | readonly number[], shape?: readonly number[], dtype?: DataType): NDArray {
  const dt = checkDtype(dtype ?? (data instanceof Int32Array ? 'int32' : 'float32'), 'nd.array');
  const sh = shape ?? [data.length];
  const a = new NDArray(sh, dt);
  if (a.size !== data.length) {
    a.free();
    throw new RangeError(`nd.array: ${data.length} values do not fill shape [${sh.join(', ')}] (${a.size} elements)`);
  }
  a.data.set(data);
  return a;
}

/** A new zero-filled array. */
export function empty(shape: readonly number[], dtype: DataType = 'float32'): NDArray {
  const a = new NDArray(shape, checkDtype(dtype, 'nd.empty'));
  a.data.fill(0);
  return a;
}
