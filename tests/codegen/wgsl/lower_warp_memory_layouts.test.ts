// tests/codegen/wgsl/lower_warp_memory_layouts.test.ts — webgpu.lowerWarpMemory
// (codegen/wgsl/lower_warp_memory.ts) on hand-written kernels of one subgroup (8 lanes on lavapipe):
// a tile stored at an index of the lane alone (each lane's index a constant, checked value by value),
// a store every lane makes at one constant index (lane stride 0: the element goes to the lane that
// owns it), reads at constant and computed lanes, against plain JS on WebGPU; and every store or read
// that TVM's layout rule (index = m·lane + (W·m)·y + x, x < m) cannot lower, refused with its reason.

import { afterAll, describe, expect, it } from 'vitest';
import { compileWGSL } from '../../../codegen/wgsl/compile_wgsl.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as T from '../../../tir/nodes.js';
import { hostArray } from '../../runtime/webgpu/helpers.js';

afterAll(releaseWebGPU);

const SG = 'webgpu -subgroup-size=8';
const f32 = Math.fround;
const A = T.buffer('A', [16], 'float32');
const O = T.buffer('O', [16], 'float32');
const bx = T.variable('bx');
const tx = T.variable('tx');
const i = (n: number): T.IntImm => T.intImm(n);
/** One workgroup of 8 lanes with a warp buffer W of `size` floats around `body`. */
function warpKernel(name: string, W: T.Buffer, body: T.Stmt): T.PrimFunc {
  return T.primFunc(name, [A, O], T.forLoop(bx, 0, 1, 'threadBinding',
    T.allocate(W, T.forLoop(tx, 0, 8, 'threadBinding', body, { threadTag: 'threadIdx.x' })), { threadTag: 'blockIdx.x' }));
}
const wgsl = (f: T.PrimFunc): string => new TextDecoder().decode(compileWGSL(f, SG).bytes);
const a = Float32Array.from({ length: 16 }, (_, k) => ((k * 5) % 7) / 2 - 1.5);

async function run(f: T.PrimFunc): Promise<Float32Array> {
  const ha = hostArray([16], 'float32');
  (ha.data as Float32Array).set(a);
  const ho = hostArray([16], 'float32');
  (ho.data as Float32Array).fill(Number.NaN);
  const mod = await buildWebGPU(f, SG);
  try {
    await mod.run(ha, ho);
  } finally {
    mod.dispose();
  }
  return ho.data as Float32Array;
}

describe('warp memory layouts on lavapipe, against plain JS', () => {
  it('W[t] = A[t] (each lane one constant index) and W[8] = A[8] by lane 0 (stride 0), read at computed and constant lanes', async () => {
    const W = T.buffer('W', [9], 'float32', 'warp');
    // O[t] = W[(t + 3) mod 8] + W[8] · 2 + W[0]: lanes (t+3) mod 8, 0 and 0.
    const body = T.seq([
      T.bufferStore(W, T.bufferLoad(A, [tx]), [tx]),
      T.ifThenElse(T.compare('eq', tx, i(0)), T.bufferStore(W, T.bufferLoad(A, [i(8)]), [i(8)])),
      T.bufferStore(O, T.add(T.add(T.bufferLoad(W, [T.binary('floormod', T.add(tx, i(3)), i(8))]), T.mul(T.bufferLoad(W, [i(8)]), T.floatImm(2))), T.bufferLoad(W, [i(0)])), [tx]),
    ]);
    const f = warpKernel('warp_m1', W, body);
    const code = wgsl(f);
    // 9 elements over 8 lanes, one a lane per round: 2 rounds.
    expect(code).toMatch(/var W_lane: array<f32, 2>;/);
    expect(code).toMatch(/subgroupShuffle\(/);
    expect(code).toMatch(/subgroupBroadcast\(W_lane\[1i?\], 0u\)/);
    const o = await run(f);
    expect(Array.from(o.subarray(0, 8))).toEqual(Array.from({ length: 8 }, (_, t) => f32(f32(a[(t + 3) % 8]! + f32(a[8]! * 2)) + a[0]!)));
    expect(Array.from(o.subarray(8)).every(Number.isNaN)).toBe(true);
  }, 120_000);

  it('lane stride 1 over two rounds (W[t + 8y]) and lane stride 2 (W[2t], W[2t + 1]), read back rotated', async () => {
    const y = T.variable('y');
    const W1 = T.buffer('W', [16], 'float32', 'warp');
    const idx = T.add(tx, T.mul(y, i(8)));
    // Reads whose local element is the same on every lane: O[t] = W[8 + (t + 3) mod 8], O[8 + t] = W[(t + 5) mod 8].
    const f1 = warpKernel('warp_y', W1, T.seq([
      T.forLoop(y, 0, 2, 'serial', T.bufferStore(W1, T.bufferLoad(A, [idx]), [idx])),
      T.bufferStore(O, T.bufferLoad(W1, [T.add(i(8), T.binary('floormod', T.add(tx, i(3)), i(8)))]), [tx]),
      T.bufferStore(O, T.bufferLoad(W1, [T.binary('floormod', T.add(tx, i(5)), i(8))]), [T.add(tx, i(8))]),
    ]));
    expect(wgsl(f1)).toMatch(/var W_lane: array<f32, 2>;/);
    const want = [...Array.from({ length: 8 }, (_, t) => a[8 + ((t + 3) % 8)]!), ...Array.from({ length: 8 }, (_, t) => a[(t + 5) % 8]!)];
    expect(Array.from(await run(f1))).toEqual(want);
    const W2 = T.buffer('W', [16], 'float32', 'warp');
    const at = (x: number): T.PrimExpr => T.add(T.mul(tx, i(2)), i(x));
    const f2 = warpKernel('warp_m2', W2, T.seq([
      T.bufferStore(W2, T.bufferLoad(A, [at(0)]), [at(0)]),
      T.bufferStore(W2, T.bufferLoad(A, [at(1)]), [at(1)]),
      // O[t] = W[2·((t + 3) mod 8)] + W[2·((t + 5) mod 8) + 1]: each lane reads local element 0, then 1.
      T.bufferStore(O, T.add(T.bufferLoad(W2, [T.mul(T.binary('floormod', T.add(tx, i(3)), i(8)), i(2))]),
        T.bufferLoad(W2, [T.add(T.mul(T.binary('floormod', T.add(tx, i(5)), i(8)), i(2)), i(1))])), [tx]),
    ]));
    expect(wgsl(f2)).toMatch(/var W_lane: array<f32, 2>;/);
    const o2 = await run(f2);
    expect(Array.from(o2.subarray(0, 8))).toEqual(Array.from({ length: 8 }, (_, t) => f32(a[2 * ((t + 3) % 8)]! + a[2 * ((t + 5) % 8) + 1]!)));
  }, 120_000);
});

describe('warp memory the layout rule cannot lower is refused, naming the buffer and why', () => {
  const W = T.buffer('W', [16], 'float32', 'warp');
  const read = T.bufferStore(O, T.bufferLoad(W, [tx]), [tx]);
  const refuse = (body: T.Stmt, re: RegExp): void => {
    expect(() => wgsl(warpKernel('bad', W, body))).toThrow(re);
  };

  it('a store whose lane stride is negative (values 7, 6, …, 0 on lanes 0..7)', () => {
    refuse(T.seq([T.bufferStore(W, T.bufferLoad(A, [tx]), [T.sub(i(7), tx)]), read]),
      /warp memory W: a store that is not of the form m·lane \+ \(W·m\)·y \+ x: its index .* takes values 7, 6, 5, 4, 3, 2, 1, 0 on lanes 0\.\.7, not a positive stride/);
  });

  it('a store whose lane 0 is not at a multiple of W·m (2t + 2)', () => {
    refuse(T.seq([T.bufferStore(W, T.bufferLoad(A, [tx]), [T.add(T.mul(tx, i(2)), i(2))]), read]),
      /warp memory W: lane 0 stores at 2, not provably a multiple of 16 \(lanes × lane stride\) plus less than 2/);
  });

  it('a 2-lane store that crosses into the next lane\'s part (2t + 1 .. 2t + 2)', () => {
    const r = T.ramp(T.add(T.mul(tx, i(2)), i(1)), i(1), 2);
    refuse(T.seq([T.bufferStore(W, T.broadcast(T.floatImm(1), 2), [r]), read]),
      /warp memory W: a 2-lane store at .* may cross from one lane's part into the next \(lane stride 2\)/);
  });

  it('a 2-lane store at one index for all lanes, with lane stride 1', () => {
    refuse(T.seq([
      T.bufferStore(W, T.bufferLoad(A, [tx]), [tx]),
      T.ifThenElse(T.compare('eq', tx, i(0)), T.bufferStore(W, T.broadcast(T.floatImm(1), 2), [T.ramp(i(8), i(1), 2)])),
      read,
    ]), /warp memory W: a 2-lane store at 8 may cross from one lane's part into the next \(lane stride 1\)/);
  });

  it('stores with two lane strides, a strided vector store, a store outside the lanes', () => {
    refuse(T.seq([T.bufferStore(W, T.bufferLoad(A, [tx]), [tx]), T.bufferStore(W, T.bufferLoad(A, [tx]), [T.mul(tx, i(2))]), read]),
      /warp memory W: stores with lane strides 1 and 2; all must agree/);
    refuse(T.seq([T.bufferStore(W, T.broadcast(T.floatImm(1), 2), [T.ramp(T.mul(tx, i(2)), i(8), 2)]), read]),
      /warp memory W: a strided vector store; store unit-stride vectors or scalars/);
  });

  it('a read whose local element differs between lanes (W[15 − t] with lane stride 2: element 1 on even t, 0 on odd)', () => {
    // A shuffle reads the element the sending lane names: lane 7 would send its element 0 (A[14]) to
    // lane 0, which asked for element 1 (A[15]). Lavapipe ran exactly that before this check existed.
    const at = (x: number): T.PrimExpr => T.add(T.mul(tx, i(2)), i(x));
    refuse(T.seq([
      T.bufferStore(W, T.bufferLoad(A, [at(0)]), [at(0)]),
      T.bufferStore(W, T.bufferLoad(A, [at(1)]), [at(1)]),
      T.bufferStore(O, T.bufferLoad(W, [T.sub(i(15), tx)]), [tx]),
    ]), /a read of warp memory W at a lane-local index that depends on the lane \(tx\): a shuffle evaluates the index in the lane that holds the element/);
  });

  it('a read under a lane-dependent condition that depends on a loop inside it', () => {
    const j = T.variable('j');
    refuse(T.seq([
      T.bufferStore(W, T.bufferLoad(A, [tx]), [tx]),
      T.ifThenElse(T.compare('lt', tx, i(5)), T.forLoop(j, 0, 2, 'serial',
        T.bufferStore(O, T.bufferLoad(W, [T.add(T.mul(j, i(8)), T.binary('floormod', T.add(tx, i(1)), i(8)))]), [T.add(tx, T.mul(j, i(8)))]))),
    ]), /a read of warp memory under a lane-dependent condition \(\(lt \$\d+ 5\)\) depends on j, bound inside it: subgroup operations need every lane; unroll that loop/);
  });
});
