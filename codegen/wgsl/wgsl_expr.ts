// codegen/wgsl/wgsl_expr.ts — prints TIR expressions as WGSL: types, literals, operators with
// TIR's integer semantics, math intrinsics as WGSL built-ins, vector Ramp/Broadcast and loads.

import {
  elementType, lanesOf,
  type Buffer, type Call, type DataType, type PrimExpr,
} from '../../tir/nodes.js';
import { ifThenElseAsSelect } from '../../tir/passes/if_then_else.js';
import { alignedVec4Base } from './vec4_layout.js';
import { POW_HELPERS, powExponentClass, powHelperKey } from './wgsl_pow.js';
import type { NameTable } from './wgsl_names.js';

export function wgslScalarType(dtype: DataType, where: string): string {
  switch (elementType(dtype)) {
    case 'float32': return 'f32';
    case 'int32': return 'i32';
    case 'bool': return 'bool';
    case 'float16':
      throw new Error(`webgpu: ${where}: float16 is not supported by the WGSL backend yet (use float32)`);
  }
}

/** `f32`, `vec4<f32>`; WGSL vectors have 2 to 4 lanes. */
export function wgslType(dtype: DataType, where = 'expression'): string {
  const s = wgslScalarType(dtype, where);
  const lanes = lanesOf(dtype);
  if (lanes === 1) return s;
  if (lanes > 4) {
    throw new Error(`webgpu: ${where}: ${dtype} has ${lanes} lanes but WGSL vectors have at most 4; split the vectorized loop by 4`);
  }
  return `vec${lanes}<${s}>`;
}

/**
 * A WGSL f32 value. ±inf and NaN have no literal, and WGSL refuses them as the result of any
 * const-expression ("value -inf cannot be represented as 'f32'"), so they are made at run time:
 * `tt_f32_bits(bits)` calls the `f32_bits` helper (a user function call is never a
 * const-expression). The caller registers that helper (ExprPrinter does).
 */
export function floatLiteral(v: number): string {
  if (!Number.isFinite(v)) {
    const bits = Number.isNaN(v) ? 0x7fc00000 : v > 0 ? 0x7f800000 : 0xff800000;
    return `tt_f32_bits(0x${bits.toString(16)}u)`;
  }
  const f = Math.fround(v);
  // f32 subnormals are outside what every WGSL implementation accepts as a literal: bitcast them.
  if (f !== 0 && Math.abs(f) < 1.1754943508222875e-38) {
    const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
    return `bitcast<f32>(0x${bits.toString(16)}u)`;
  }
  const s = String(f);
  const text = /[.e]/.test(s) ? s : `${s}.0`;
  return f < 0 || Object.is(f, -0) ? `(${Object.is(f, -0) ? '-0.0' : text}f)` : `${text}f`;
}

export function intLiteral(v: number): string {
  if (v === -2147483648) return '(-2147483647i - 1i)';
  return v < 0 ? `(${v}i)` : `${v}i`;
}

/**
 * NaN-propagating float max/min (docs/webgpu.md, "NaN and infinities"): WGSL's max/min leave NaN
 * handling to the driver, so a NaN operand is detected on the bits (integer compares, which no
 * fast-math rewrite touches) and `a + b` (NaN) is returned, as wasm's f32.max/f32x4.max and
 * numpy/ONNX Max do. One helper per WGSL type, named `tt_fmax_f32`, `tt_fmin_vec4f32`, ….
 */
function floatMinMaxHelper(op: 'max' | 'min', lanes: number): [string, string] {
  const t = lanes === 1 ? 'f32' : `vec${lanes}<f32>`;
  const u = (x: string): string => (lanes === 1 ? x : `vec${lanes}<u32>(${x})`);
  const nan = (x: string): string => `((bitcast<${lanes === 1 ? 'u32' : `vec${lanes}<u32>`}>(${x}) & ${u('0x7fffffffu')}) > ${u('0x7f800000u')})`;
  const key = `f${op}_${lanes === 1 ? 'f32' : `vec${lanes}f32`}`;
  return [key, `fn tt_${key}(a: ${t}, b: ${t}) -> ${t} {\n  return select(${op}(a, b), a + b, ${nan('a')} | ${nan('b')});\n}`];
}

/**
 * Floor division and modulo of int32 (scalars or vectors) by any divisor, as TIR's floordiv/floormod
 * (TVM's `floordiv`: rounds toward −∞; the remainder takes the divisor's sign). WGSL's `/` and `%`
 * truncate toward zero, so a nonzero remainder with operands of opposite signs is corrected.
 * Vectors correct per lane (`select` with a vecN<bool>; `&` is WGSL's component-wise logical and).
 * Keys `floordiv`, `floormod_vec4`, …; functions `tt_floordiv`, `tt_floormod_vec4`, ….
 */
function floorHelper(op: 'floordiv' | 'floormod', lanes: number): [string, string] {
  const t = lanes === 1 ? 'i32' : `vec${lanes}<i32>`;
  const c = (x: string): string => (lanes === 1 ? x : `${t}(${x})`);
  const and = lanes === 1 ? '&&' : '&';
  const key = lanes === 1 ? op : `${op}_vec${lanes}`;
  const fix = `(r != ${c('0i')}) ${and} ((r < ${c('0i')}) != (b < ${c('0i')}))`;
  const body = op === 'floordiv'
    ? `  let r = a % b;\n  return select(a / b, a / b - ${c('1i')}, ${fix});`
    : `  let r = a % b;\n  return select(r, r + b, ${fix});`;
  return [key, `fn tt_${key}(a: ${t}, b: ${t}) -> ${t} {\n${body}\n}`];
}

/**
 * erf by Abramowitz & Stegun 7.1.26 (max abs error 1.5e-7): WGSL has no erf built-in. WGSL mixes a
 * scalar with a vector in arithmetic but not in comparisons, hence the typed zero. Keys `erf`, `erf_vec4`, ….
 */
function erfHelper(lanes: number): [string, string] {
  const t = lanes === 1 ? 'f32' : `vec${lanes}<f32>`;
  const key = lanes === 1 ? 'erf' : `erf_vec${lanes}`;
  return [key, `fn tt_${key}(x: ${t}) -> ${t} {\n  let t = 1.0f / (1.0f + 0.3275911f * abs(x));\n` +
    '  let y = 1.0f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t * exp(-x * x);\n' +
    `  return select(-y, y, x >= ${lanes === 1 ? '0.0f' : `${t}(0.0f)`});\n}`];
}

/** Helper functions the printed code needs, emitted once per module before the kernels. */
export const HELPERS: Readonly<Record<string, string>> = {
  ...Object.fromEntries((['max', 'min'] as const).flatMap((op) => [1, 2, 3, 4].map((l) => floatMinMaxHelper(op, l)))),
  // ±inf and NaN at run time (see floatLiteral).
  f32_bits: 'fn tt_f32_bits(b: u32) -> f32 {\n  return bitcast<f32>(b);\n}',
  ...Object.fromEntries([1, 2, 3, 4].flatMap((l) => [floorHelper('floordiv', l), floorHelper('floormod', l)])),
  ...Object.fromEntries([1, 2, 3, 4].map((l) => erfHelper(l))),
  // pow with C99 powf's semantics: negative bases, zeros, infinities (wgsl_pow.ts).
  ...POW_HELPERS,
};

const CALL_BUILTINS: Readonly<Partial<Record<Call['op'], string>>> = {
  exp: 'exp', log: 'log', sqrt: 'sqrt', rsqrt: 'inverseSqrt', abs: 'abs', floor: 'floor',
  ceil: 'ceil', round: 'round', trunc: 'trunc', sin: 'sin', cos: 'cos', fma: 'fma',
};

/** A scalar operand widened to the lanes of `dtype` (WGSL shifts and masks do not splat). */
function splat(dtype: DataType, scalar: string, scalarType: string): string {
  const lanes = lanesOf(dtype);
  return lanes === 1 ? scalar : `vec${lanes}<${scalarType}>(${scalar})`;
}

function powerOfTwo(e: PrimExpr): number | undefined {
  if (e.kind !== 'IntImm' || e.value <= 0 || (e.value & (e.value - 1)) !== 0) return undefined;
  return Math.log2(e.value);
}

/** The value of a float constant, or of a Broadcast of one; undefined for anything else. */
function constFloat(e: PrimExpr): number | undefined {
  if (e.kind === 'FloatImm') return e.value;
  if (e.kind === 'Broadcast' && e.value.kind === 'FloatImm') return e.value.value;
  return undefined;
}

/** Prints expressions; `flatIndex` turns a load's indices into one flat element index. */
export class ExprPrinter {
  readonly helpers = new Set<string>();
  /** Set once a subgroup built-in is printed: the module needs `enable subgroups;` (reset per kernel by the caller). */
  subgroups = false;
  /** Shared/local arrays declared as arrays of vec4 (see vec4_layout.ts). */
  readonly vec4 = new Set<Buffer>();

  constructor(
    private readonly names: NameTable,
    private readonly flatIndex: (buffer: Buffer, indices: readonly PrimExpr[]) => PrimExpr,
  ) {}

  print(e: PrimExpr): string {
    switch (e.kind) {
      case 'IntImm':
        if (elementType(e.dtype) === 'bool') return e.value ? 'true' : 'false';
        return intLiteral(e.value);
      case 'FloatImm':
        if (!Number.isFinite(e.value)) this.helpers.add('f32_bits');
        return floatLiteral(e.value);
      case 'Var': {
        const n = this.names.varName(e);
        if (!n) throw new Error(`webgpu: free variable '${e.name}' (symbolic shapes and scalar arguments are not supported; bind it in a loop or let)`);
        return n;
      }
      case 'BinaryOp':
        return this.binary(e.op, e.a, e.b, e.dtype);
      case 'CompareOp': {
        const op = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' }[e.op];
        return `(${this.print(e.a)} ${op} ${this.print(e.b)})`;
      }
      case 'LogicalOp': {
        // && and || exist for scalar bools only; vector bools use the component-wise & and |.
        const vec = lanesOf(e.dtype) > 1;
        const op = e.op === 'and' ? (vec ? '&' : '&&') : (vec ? '|' : '||');
        return `(${this.print(e.a)} ${op} ${this.print(e.b)})`;
      }
      case 'Not':
        return `(!${this.print(e.a)})`;
      case 'Select':
        return `select(${this.print(e.falseValue)}, ${this.print(e.trueValue)}, ${this.print(e.condition)})`;
      case 'Cast':
        return `${wgslType(e.dtype, 'cast')}(${this.print(e.value)})`;
      case 'Call':
        return this.call(e);
      case 'Ramp': {
        const n = e.lanes;
        const steps = Array.from({ length: n }, (_, i) => `${i}i`).join(', ');
        return `(vec${n}<i32>(${this.print(e.base)}) + vec${n}<i32>(${steps}) * ${this.print(e.stride)})`;
      }
      case 'Broadcast':
        return `${wgslType(e.dtype, 'broadcast')}(${this.print(e.value)})`;
      case 'Let': {
        // Lets are hoisted to `let` statements before the statement that holds them.
        const n = this.names.varName(e.variable);
        if (!n) throw new Error(`webgpu: let ${e.variable.name} was not hoisted`);
        return this.print(e.body);
      }
      case 'BufferLoad':
        return this.load(e.buffer, e.indices, e.dtype);
      case 'ProducerLoad':
      case 'Reduce':
        throw new Error(`webgpu: ${e.kind} in a PrimFunc: lower the schedule (te.lower) before building`);
    }
  }

  private binary(op: string, a: PrimExpr, b: PrimExpr, dtype: DataType): string {
    const sa = this.print(a);
    const sb = this.print(b);
    switch (op) {
      case 'add': return `(${sa} + ${sb})`;
      case 'sub': return `(${sa} - ${sb})`;
      case 'mul': return `(${sa} * ${sb})`;
      case 'div': return `(${sa} / ${sb})`;
      case 'mod': return `(${sa} % ${sb})`;
      case 'min':
      case 'max': {
        if (elementType(dtype) !== 'float32') return `${op}(${sa}, ${sb})`;
        const lanes = lanesOf(dtype);
        const key = `f${op}_${lanes === 1 ? 'f32' : `vec${lanes}f32`}`;
        this.helpers.add(key);
        return `tt_${key}(${sa}, ${sb})`;
      }
      case 'floordiv': {
        // Shifts are exact floor division by a positive power of two on two's complement.
        const k = powerOfTwo(b);
        if (k !== undefined) return k === 0 ? sa : `(${sa} >> ${splat(dtype, `${k}u`, 'u32')})`;
        return this.floorCall('floordiv', sa, sb, dtype);
      }
      case 'floormod': {
        const k = powerOfTwo(b);
        if (k !== undefined) return `(${sa} & ${splat(dtype, intLiteral(2 ** k - 1), 'i32')})`;
        return this.floorCall('floormod', sa, sb, dtype);
      }
      default:
        throw new Error(`webgpu: unknown binary op ${op}`);
    }
  }

  /** floordiv/floormod by a divisor that is not a known power of two: a helper (floorHelper) per type. */
  private floorCall(op: 'floordiv' | 'floormod', sa: string, sb: string, dtype: DataType): string {
    if (elementType(dtype) !== 'int32') throw new Error(`webgpu: ${op} on ${dtype}: only int32 (scalar or vector) is supported`);
    const lanes = lanesOf(dtype);
    const key = lanes === 1 ? op : `${op}_vec${lanes}`;
    this.helpers.add(key);
    return `tt_${key}(${sa}, ${sb})`;
  }

  private call(e: Call): string {
    // WGSL has no lazy conditional expression: select() of the arms with clamped loads.
    if (e.op === 'tir.if_then_else') return this.print(ifThenElseAsSelect(e));
    const args = e.args.map((a) => this.print(a));
    if ((e.op === 'pow' || e.op === 'fma') && elementType(e.dtype) !== 'float32') {
      throw new Error(`webgpu: ${e.op} on ${e.dtype}: WGSL has it for floats only (cast to float32)`);
    }
    if (e.op === 'pow') return this.pow(e, args[0]!, args[1]!);
    const builtin = CALL_BUILTINS[e.op];
    if (builtin) return `${builtin}(${args.join(', ')})`;
    const x = args[0]!;
    const one = lanesOf(e.dtype) > 1 ? `${wgslType(e.dtype)}(1.0f)` : '1.0f';
    switch (e.op) {
      // Some drivers return NaN from tanh for large |x|; it is ±1 to f32 precision past 10.
      case 'tanh': {
        // clamp() takes one type for all three arguments: vector bounds for a vector.
        const bound = (v: string): string => (lanesOf(e.dtype) > 1 ? `${wgslType(e.dtype)}(${v})` : v);
        return `tanh(clamp(${x}, ${bound('-10.0f')}, ${bound('10.0f')}))`;
      }
      case 'sigmoid': return `(${one} / (${one} + exp(-(${x}))))`;
      case 'erf': {
        const key = lanesOf(e.dtype) > 1 ? `erf_vec${lanesOf(e.dtype)}` : 'erf';
        this.helpers.add(key);
        return `tt_${key}(${x})`;
      }
      case 'tir.storage_sync':
        throw new Error('webgpu: tir.storage_sync used as a value');
      case 'tir.warp_shuffle': {
        // subgroupBroadcast wants a const-expression lane (a splat of one lane on lavapipe); else a shuffle.
        this.subgroups = true;
        const lane = e.args[1]!;
        return lane.kind === 'IntImm' ? `subgroupBroadcast(${x}, ${lane.value}u)` : `subgroupShuffle(${x}, u32(${args[1]}))`;
      }
      default:
        throw new Error(`webgpu: intrinsic ${e.op} has no WGSL mapping`);
    }
  }

  /**
   * pow(x, y) through a C99-powf helper (wgsl_pow.ts; WGSL's own pow is undefined for x < 0): one
   * specialised to the class of a constant exponent (a FloatImm, or a Broadcast of one), the general
   * one otherwise; a constant ±0 exponent is 1 without a call.
   */
  private pow(e: Call, x: string, y: string): string {
    const lanes = lanesOf(e.dtype);
    const yc = constFloat(e.args[1]!);
    const cls = yc === undefined ? 'any' : powExponentClass(yc);
    if (cls === undefined) return lanes > 1 ? `${wgslType(e.dtype)}(1.0f)` : '1.0f';
    const key = powHelperKey(cls, lanes);
    this.helpers.add(key);
    return `tt_${key}(${x}, ${y})`;
  }

  /** A scalar element of a buffer, in whichever layout it was declared. */
  element(buffer: Buffer, name: string, index: string): string {
    return this.vec4.has(buffer) ? `${name}[(${index}) >> 2u][(${index}) & 3i]` : `${name}[${index}]`;
  }

  /** The whole vec4 slot an aligned 4-lane access covers, when the buffer is laid out in vec4s. */
  vec4Slot(buffer: Buffer, name: string, index: PrimExpr): string | undefined {
    if (!this.vec4.has(buffer)) return undefined;
    const base = alignedVec4Base(index);
    return base ? `${name}[${this.print(base)} >> 2u]` : undefined;
  }

  /** A load; a Ramp index loads lanes one by one unless the array is laid out in vec4s. */
  load(buffer: Buffer, indices: readonly PrimExpr[], dtype: DataType): string {
    const name = this.names.bufferName(buffer);
    if (!name) throw new Error(`webgpu: buffer ${buffer.name} is used but neither a parameter nor allocated`);
    const index = this.flatIndex(buffer, indices);
    const lanes = lanesOf(dtype);
    if (lanes === 1) return this.element(buffer, name, this.print(index));
    const slot = lanes === 4 ? this.vec4Slot(buffer, name, index) : undefined;
    if (slot) return slot;
    return `${wgslType(dtype, `load ${buffer.name}`)}(${this.laneIndices(index, lanes).map((i) => this.element(buffer, name, i)).join(', ')})`;
  }

  /** The scalar index expression of each lane of a vector index. */
  laneIndices(index: PrimExpr, lanes: number): string[] {
    if (index.kind === 'Ramp') {
      const base = this.print(index.base);
      const stride = this.print(index.stride);
      const unit = index.stride.kind === 'IntImm' && index.stride.value === 1;
      return Array.from({ length: lanes }, (_, i) => (i === 0 ? base : unit ? `${base} + ${i}i` : `${base} + ${i}i * ${stride}`));
    }
    const v = this.print(index);
    return Array.from({ length: lanes }, (_, i) => `${v}[${i}]`);
  }
}
