// ops/op_params.ts — the anchor ops' standard parameters as the command line names them (TOPI/tvmc:
// N, C, H, W, O, kernel, stride, pad, dilation, groups; M, K, N for products): parse and check them,
// turn them into a template's workload args and back. Plain data and arithmetic (no compiler loaded).

import type { WorkloadArg } from '../tuning-logs/workload_key.js';

/** A bad parameter: the message names the op and the parameter (the CLI shows it as a usage error). */
export class OpParamError extends RangeError {
  override readonly name = 'OpParamError';
}

/** Every parameter as a list of integers (a scalar is a list of one). */
export type OpParams = Record<string, number[]>;

interface ParamSpec {
  readonly name: string;
  readonly describe: string;
  /** Allowed list lengths (1: one number; 2: [h, w]; 4: [top, left, bottom, right]). */
  readonly lengths: readonly number[];
  /** Smallest allowed value. */
  readonly min: number;
  /** Default when not given; undefined: required. */
  readonly dflt?: readonly number[];
}

export interface OpSpec {
  /** The name `--op` takes. */
  readonly op: string;
  /** The anchor tag: the template is `<tag>.<target kind>`. */
  readonly tag: string;
  readonly describe: string;
  readonly params: readonly ParamSpec[];
  /** The positional form's order (products only: `--shape 1,1024,1000`). */
  readonly positional?: readonly string[];
  readonly example: string;
  /** Ops of ../shared/workloads.json entries this op can take (`--workload C6`). */
  readonly workloadOps: readonly string[];
}

const p = (name: string, describe: string, lengths: readonly number[], min: number, dflt?: readonly number[]): ParamSpec => ({ name, describe, lengths, min, ...(dflt ? { dflt } : {}) });
const N_ = p('N', 'batch', [1], 1, [1]);
const C_ = p('C', 'input channels', [1], 1);
const H_ = p('H', 'input height', [1], 1);
const W_ = p('W', 'input width', [1], 1);
const O_ = p('O', 'output channels', [1], 1);
const KERNEL = p('kernel', 'kernel size, KH or KHxKW', [1, 2], 1);
const STRIDE = p('stride', 'stride, s or SHxSW', [1, 2], 1, [1]);
const PAD = p('pad', 'padding: all sides, HxW, or TOPxLEFTxBOTTOMxRIGHT', [1, 2, 4], 0, [0]);
const DILATION = p('dilation', 'dilation, d or DHxDW', [1, 2], 1, [1]);
const GROUPS = p('groups', 'channel groups', [1], 1, [1]);
const M_ = p('M', 'rows', [1], 1);
const K_ = p('K', 'reduction length', [1], 1);
const NC = p('N', 'columns', [1], 1);

/** The ops `tensortune tune/build/bench --op` know, in help order. */
export const OP_SPECS: readonly OpSpec[] = [
  { op: 'dense', tag: 'dense', describe: 'Y[M,N] = X[M,K] · W[N,K]ᵀ (ONNX Gemm transB, TVM dense)', params: [M_, K_, NC], positional: ['M', 'K', 'N'], example: '1,1024,1000', workloadOps: ['dense'] },
  { op: 'matmul', tag: 'matmul', describe: 'C[M,N] = A[M,K] · B[K,N]', params: [M_, K_, NC], positional: ['M', 'K', 'N'], example: '512,512,512', workloadOps: ['matmul'] },
  { op: 'batch_matmul', tag: 'batch_matmul', describe: 'C[B,M,N] = A[B,M,K] · B[B,K,N]', params: [p('B', 'batch', [1], 1), M_, K_, NC], positional: ['B', 'M', 'K', 'N'], example: '12,128,64,128', workloadOps: ['batch_matmul'] },
  { op: 'conv2d', tag: 'conv2d_nchw', describe: 'NCHW data, OIHW weight (TOPI conv2d_nchw, group_conv2d_nchw)', params: [N_, C_, H_, W_, O_, KERNEL, STRIDE, PAD, DILATION, GROUPS], example: 'N=1,C=64,H=56,W=56,O=64,kernel=3,stride=1,pad=1', workloadOps: ['conv2d'] },
  { op: 'conv2d_NCHWc', tag: 'conv2d_NCHWc', describe: 'conv2d in the packed NCHW[ic_block]c layout, weights packed at build time (TVM x86 conv2d_NCHWc; wasm)', params: [N_, C_, H_, W_, O_, KERNEL, STRIDE, PAD, DILATION, p('ic_block', 'input-channel block (default: 8, 4, 2 or 1, the first that divides C)', [1], 1), p('oc_block', 'output-channel block (default as ic_block, of O)', [1], 1)], example: 'C=128,H=28,W=28,O=128,kernel=3,pad=1', workloadOps: ['conv2d'] },
  { op: 'conv2d_winograd', tag: 'conv2d_winograd', describe: 'conv2d 3×3 stride 1 by Winograd F(2×2, 3×3) (wasm, webgpu)', params: [N_, C_, H_, W_, O_, p('kernel', 'must be 3', [1, 2], 1, [3]), p('stride', 'must be 1', [1, 2], 1, [1]), PAD, p('transformed', '1: weights transformed on the host, [16, O, C] (winogradWeightTransform; what a model build runs), 0: [O, C, 3, 3] transformed in the kernel', [1], 0, [0])], example: 'C=128,H=28,W=28,O=128,pad=1,transformed=1', workloadOps: ['conv2d'] },
  { op: 'conv2d_winograd_m4', tag: 'conv2d_winograd_m4', describe: 'conv2d 3×3 stride 1 by Winograd F(4×4, 3×3): 6×6 tiles, 4× fewer multiplies than direct (TVM arm_cpu tile_size 4; wasm)', params: [N_, C_, H_, W_, O_, p('kernel', 'must be 3', [1, 2], 1, [3]), p('stride', 'must be 1', [1, 2], 1, [1]), PAD, p('transformed', '1: weights transformed on the host, [36, O, C] (winogradWeightTransform(w, shape, 4); what a model build runs), 0: [O, C, 3, 3] transformed in the kernel', [1], 0, [0])], example: 'C=64,H=56,W=56,O=64,pad=1,transformed=1', workloadOps: ['conv2d'] },
  { op: 'conv2d_gemm', tag: 'conv2d_gemm', describe: 'conv2d (groups 1) as im2col + one gemm per image: NCHW data, the OIHW weight read as [O, C·KH·KW], output [N, O, OH·OW] (TVM arm_cpu conv2d_gemm; wasm)', params: [N_, C_, H_, W_, O_, KERNEL, STRIDE, PAD, DILATION], example: 'C=128,H=28,W=28,O=256,kernel=3,stride=2,pad=1', workloadOps: ['conv2d'] },
  { op: 'conv2d_gemm_NCHWc', tag: 'conv2d_gemm_NCHWc', describe: 'conv2d (groups 1) as im2col + gemm on packed NCHW[ic_block]c data: rows of output pixels × the packed weight\'s panels of oc_block, output NCHW[oc_block]c (conv2d_NCHWc\'s workload; wasm)', params: [N_, C_, H_, W_, O_, KERNEL, STRIDE, PAD, DILATION, p('ic_block', 'input-channel block (default: 8, 4, 2 or 1, the first that divides C)', [1], 1), p('oc_block', 'output-channel block (default as ic_block, of O)', [1], 1)], example: 'C=128,H=28,W=28,O=256,kernel=3,stride=2,pad=1', workloadOps: ['conv2d'] },
  { op: 'conv2d_nchw_packed', tag: 'conv2d_nchw_packed', describe: 'conv2d (groups 1) on NCHW data with the OIHW weight packed in blocks of oc_block output channels, [⌈O/oc_block⌉, C, KH, KW, oc_block], built once by a model build; output NCHW (webgpu: lavapipe\'s plain target, `webgpu -device=llvmpipe`)', params: [N_, C_, H_, W_, O_, KERNEL, STRIDE, PAD, DILATION, p('oc_block', 'output channels a weight block (vec4 loads need a multiple of 4)', [1], 1, [8])], example: 'C=64,H=56,W=56,O=64,kernel=3,pad=1', workloadOps: ['conv2d'] },
  { op: 'depthwise_conv2d', tag: 'depthwise_conv2d_nchw', describe: 'groups = C, weight [C·multiplier, 1, KH, KW] (TOPI depthwise_conv2d_nchw)', params: [N_, C_, H_, W_, KERNEL, STRIDE, PAD, DILATION, p('multiplier', 'channel multiplier: O = C·multiplier', [1], 1, [1])], example: 'C=32,H=112,W=112,kernel=3,pad=1', workloadOps: ['depthwise_conv2d'] },
  { op: 'depthwise_conv2d_NCHWc', tag: 'depthwise_conv2d_NCHWc', describe: 'depthwise conv2d in the packed NCHW[block]c layout, multiplier 1, weights packed at build time (TVM x86 depthwise_conv2d_NCHWc; wasm)', params: [N_, C_, H_, W_, KERNEL, STRIDE, PAD, DILATION, p('block', 'channel block (default: 4, else 2 or 1, the first that divides C)', [1], 1)], example: 'C=32,H=112,W=112,kernel=3,pad=1', workloadOps: ['depthwise_conv2d'] },
  { op: 'conv2d_transpose', tag: 'conv2d_transpose_nchw', describe: 'NCHW data, weight [C, O/groups, KH, KW] (ONNX ConvTranspose, TOPI conv2d_transpose_nchw)', params: [N_, C_, H_, W_, O_, KERNEL, STRIDE, PAD, p('output_padding', 'extra rows/columns at the end, p or PHxPW', [1, 2], 0, [0]), DILATION, GROUPS], example: 'C=64,H=14,W=14,O=32,kernel=4,stride=2,pad=1', workloadOps: [] },
];

const ALIASES: Readonly<Record<string, string>> = {
  strides: 'stride', padding: 'pad', pads: 'pad', dilations: 'dilation', kernel_size: 'kernel', kernel_shape: 'kernel', r: 'kernel',
  out_pad: 'output_padding', output_pad: 'output_padding', channel_multiplier: 'multiplier', group: 'groups',
};

/** The spec of `--op` name `op` (also the template tag, case-insensitive), or undefined. */
export function opSpec(op: string): OpSpec | undefined {
  const o = op.toLowerCase();
  return OP_SPECS.find((s) => s.op.toLowerCase() === o || s.tag.toLowerCase() === o);
}

/** The spec of anchor tag `tag`. */
export function opSpecOfTag(tag: string): OpSpec | undefined {
  return OP_SPECS.find((s) => s.tag === tag);
}

function names(spec: OpSpec): string {
  return spec.params.map((x) => x.name).join(', ');
}

/** The parameter of `spec` that `key` names (case-insensitive, common aliases), or an error listing them. */
function paramOf(spec: OpSpec, key: string): ParamSpec {
  const k = key.trim().toLowerCase();
  const canon = ALIASES[k] ?? k;
  const hit = spec.params.find((x) => x.name.toLowerCase() === canon);
  if (hit === undefined) throw new OpParamError(`${spec.op} has no parameter '${key.trim()}' (parameters: ${names(spec)})`);
  return hit;
}

function numbers(text: string, what: string): number[] {
  const parts = text.split(/[x×]/).map((s) => s.trim());
  const v = parts.map(Number);
  if (parts.some((s) => s === '') || v.some((x) => !Number.isInteger(x))) throw new OpParamError(`${what} '${text}': expected integers`);
  return v;
}

/**
 * Parses `--shape` text: named `N=1,C=64,H=56,W=56,O=64,kernel=3,stride=2,pad=1` (lists as `3x3` or
 * continuing after the comma: `pad=0,1,1,2`), or, for products, the positional `M,K,N`. Returns the
 * given parameters (unchecked; see checkOpParams). Throws OpParamError naming the parameter.
 */
export function parseOpParams(spec: OpSpec, text: string): OpParams {
  const tokens = text.split(',').map((t) => t.trim());
  if (tokens.some((t) => t === '')) throw new OpParamError(`empty item in '${text}'; separate parameters with single commas`);
  const out: OpParams = {};
  if (!tokens.some((t) => t.includes('='))) {
    if (spec.positional === undefined) {
      throw new OpParamError(`${spec.op} takes named parameters (${names(spec)}), e.g. ${spec.example}`);
    }
    if (tokens.length !== spec.positional.length) {
      throw new OpParamError(`${spec.op} takes ${spec.positional.join(',')} (${spec.positional.length} numbers), e.g. ${spec.example}`);
    }
    spec.positional.forEach((n, i) => (out[n] = numbers(tokens[i]!, n)));
    return out;
  }
  let last: string | undefined;
  for (const t of tokens) {
    const eq = t.indexOf('=');
    if (eq < 0) {
      if (last === undefined) throw new OpParamError(`'${t}' before any name=value; write e.g. ${spec.example}`);
      out[last]!.push(...numbers(t, last));
      continue;
    }
    const param = paramOf(spec, t.slice(0, eq));
    if (out[param.name] !== undefined) throw new OpParamError(`${param.name} given twice`);
    out[param.name] = numbers(t.slice(eq + 1), param.name);
    last = param.name;
  }
  return out;
}

const listText = (lengths: readonly number[]): string => lengths.map((n) => (n === 1 ? '1 number' : `${n} numbers`)).join(' or ');

/** h/w pairs and 4-side padding, expanded; every value ≥ its minimum; required ones present. */
function complete(spec: OpSpec, given: OpParams): OpParams {
  const out: OpParams = {};
  for (const prm of spec.params) {
    const v = given[prm.name] ?? (prm.dflt ? [...prm.dflt] : undefined);
    if (v === undefined) {
      if (prm.name === 'ic_block' || prm.name === 'oc_block' || prm.name === 'block') continue;
      throw new OpParamError(`${spec.op} needs ${prm.name} (${prm.describe}); e.g. ${spec.example}`);
    }
    if (!prm.lengths.includes(v.length)) throw new OpParamError(`${prm.name} takes ${listText(prm.lengths)} (${prm.describe}), got ${v.length}: ${v.join('x')}`);
    if (v.some((x) => x < prm.min)) throw new OpParamError(`${prm.name} must be ${prm.min === 0 ? 'non-negative' : `≥ ${prm.min}`}, got ${v.join('x')}`);
    if (prm.lengths.includes(4)) out[prm.name] = v.length === 1 ? [v[0]!, v[0]!, v[0]!, v[0]!] : v.length === 2 ? [v[0]!, v[1]!, v[0]!, v[1]!] : [...v];
    else if (prm.lengths.includes(2)) out[prm.name] = v.length === 1 ? [v[0]!, v[0]!] : [...v];
    else out[prm.name] = [...v];
  }
  return out;
}

/** The first block of 8, 4, 2 that divides C (and of O), else 1: the packed layout's default channel blocks. */
export function nchwcBlocks(C: number, O: number): { icBlock: number; ocBlock: number } {
  const pick = (n: number, prefs: readonly number[]): number => prefs.find((b) => n % b === 0) ?? 1;
  return { icBlock: pick(C, [8, 4, 2]), ocBlock: pick(O, [8, 4, 2]) };
}

function outSize(spec: OpSpec, axis: 'height' | 'width', size: number, detail: string): void {
  if (!(size > 0)) throw new OpParamError(`${spec.op}: output ${axis} would be ${size} (${detail}); change ${axis === 'height' ? 'H' : 'W'}, kernel, stride, dilation or pad`);
}

/** m of the Winograd F(m×m, 3×3) ops (2 or 4), undefined for the others. */
function winogradTile(spec: OpSpec): number | undefined {
  return spec.op === 'conv2d_winograd' ? 2 : spec.op === 'conv2d_winograd_m4' ? 4 : undefined;
}

/**
 * Fills defaults and checks `given` against the op: every parameter present, of the right length and
 * range, channels divisible by groups and blocks, output sizes > 0, the op's own restrictions
 * (Winograd: kernel 3, stride 1; depthwise: C > 1; conv2d: groups < C). Returns the complete parameters
 * (kernel/stride/dilation/output_padding as [h, w], pad as [top, left, bottom, right]).
 */
export function checkOpParams(spec: OpSpec, given: OpParams): OpParams {
  const q = complete(spec, given);
  const v = (n: string): number => q[n]![0]!;
  if (spec.positional !== undefined) return q;
  const C = v('C');
  const m = winogradTile(spec);
  if (m !== undefined) {
    const f = `${spec.op} is F(${m}×${m}, 3×3)`;
    if (q.kernel!.some((k) => k !== 3)) throw new OpParamError(`${f}: kernel must be 3, got ${q.kernel!.join('x')} (use --op conv2d)`);
    if (q.stride!.some((s) => s !== 1)) throw new OpParamError(`${f}: stride must be 1, got ${q.stride!.join('x')} (use --op conv2d)`);
    if (v('transformed') > 1) throw new OpParamError(`${spec.op}: transformed must be 0 (weights [O, C, 3, 3]) or 1 (weights [${(m + 2) ** 2}, O, C] transformed on the host), got ${v('transformed')}`);
  }
  const groups = q.groups?.[0] ?? 1;
  if (C % groups !== 0) throw new OpParamError(`${spec.op}: C ${C} is not divisible by groups ${groups}`);
  if (q.O !== undefined && v('O') % groups !== 0) throw new OpParamError(`${spec.op}: O ${v('O')} is not divisible by groups ${groups}`);
  if (spec.op === 'conv2d' && groups === C && C > 1) throw new OpParamError(`conv2d: groups ${groups} = C is a depthwise convolution; use --op depthwise_conv2d (multiplier=${v('O') / C})`);
  if (spec.op === 'depthwise_conv2d' && C === 1) throw new OpParamError('depthwise_conv2d: C must be > 1 (one channel is an ordinary convolution: use --op conv2d)');
  if (spec.op === 'conv2d_NCHWc' || spec.op === 'conv2d_gemm_NCHWc') {
    const d = nchwcBlocks(C, v('O'));
    q.ic_block = [q.ic_block?.[0] ?? d.icBlock];
    q.oc_block = [q.oc_block?.[0] ?? d.ocBlock];
    if (C % v('ic_block') !== 0) throw new OpParamError(`${spec.op}: C ${C} is not divisible by ic_block ${v('ic_block')}`);
    if (v('O') % v('oc_block') !== 0) throw new OpParamError(`${spec.op}: O ${v('O')} is not divisible by oc_block ${v('oc_block')}`);
  }
  if (spec.op === 'depthwise_conv2d_NCHWc') {
    q.block = [q.block?.[0] ?? ([4, 2].find((b) => C % b === 0) ?? 1)];
    if (C % v('block') !== 0) throw new OpParamError(`depthwise_conv2d_NCHWc: C ${C} is not divisible by block ${v('block')}`);
  }
  const [kh, kw] = q.kernel!;
  const [sh, sw] = q.stride!;
  const [dh, dw] = q.dilation ?? [1, 1];
  const [pt, pl, pb, pr] = q.pad!;
  if (spec.op === 'conv2d_transpose') {
    const op = q.output_padding!;
    op.forEach((x, i) => {
      if (x >= Math.max(q.stride![i]!, q.dilation![i]!)) throw new OpParamError(`conv2d_transpose: output_padding ${x} must be smaller than the stride ${q.stride![i]} or the dilation ${q.dilation![i]}`);
    });
    outSize(spec, 'height', sh! * (v('H') - 1) + op[0]! + dh! * (kh! - 1) + 1 - pt! - pb!, `stride ${sh}, H ${v('H')}, kernel ${kh}, pad ${pt}+${pb}`);
    outSize(spec, 'width', sw! * (v('W') - 1) + op[1]! + dw! * (kw! - 1) + 1 - pl! - pr!, `stride ${sw}, W ${v('W')}, kernel ${kw}, pad ${pl}+${pr}`);
    return q;
  }
  outSize(spec, 'height', Math.floor((v('H') + pt! + pb! - dh! * (kh! - 1) - 1) / sh!) + 1, `H ${v('H')} + pad ${pt}+${pb}, dilated kernel ${dh! * (kh! - 1) + 1}, stride ${sh}`);
  outSize(spec, 'width', Math.floor((v('W') + pl! + pr! - dw! * (kw! - 1) - 1) / sw!) + 1, `W ${v('W')} + pad ${pl}+${pr}, dilated kernel ${dw! * (kw! - 1) + 1}, stride ${sw}`);
  return q;
}

const T = (shape: readonly number[]): WorkloadArg => ['TENSOR', [...shape], 'float32'];

/** The template's workload args for checked parameters (as ops/templates/workloads.ts anchorArgs writes them). */
export function opArgs(spec: OpSpec, q: OpParams): WorkloadArg[] {
  const v = (n: string): number => q[n]![0]!;
  switch (spec.op) {
    case 'dense': return [T([v('M'), v('K')]), T([v('N'), v('K')])];
    case 'matmul': return [T([v('M'), v('K')]), T([v('K'), v('N')])];
    case 'batch_matmul': return [T([v('B'), v('M'), v('K')]), T([v('B'), v('K'), v('N')])];
  }
  const X = [v('N'), v('C'), v('H'), v('W')];
  const [kh, kw] = q.kernel! as [number, number];
  switch (spec.op) {
    case 'conv2d': return [T(X), T([v('O'), v('C') / v('groups'), kh, kw]), q.stride!, q.pad!, q.dilation!, v('groups')];
    case 'depthwise_conv2d': return [T(X), T([v('C') * v('multiplier'), 1, kh, kw]), q.stride!, q.pad!, q.dilation!];
    case 'conv2d_gemm': return [T(X), T([v('O'), v('C'), kh, kw]), q.stride!, q.pad!, q.dilation!];
    case 'conv2d_nchw_packed': return [T(X), T([Math.ceil(v('O') / v('oc_block')), v('C'), kh, kw, v('oc_block')]), q.stride!, q.pad!, q.dilation!, v('O')];
    case 'conv2d_winograd':
    case 'conv2d_winograd_m4': return [T(X), T(v('transformed') === 1 ? [(winogradTile(spec)! + 2) ** 2, v('O'), v('C')] : [v('O'), v('C'), 3, 3]), q.pad!];
    case 'conv2d_NCHWc':
    case 'conv2d_gemm_NCHWc': {
      const ib = v('ic_block');
      const ob = v('oc_block');
      return [T([v('N'), v('C') / ib, v('H'), v('W'), ib]), T([v('O') / ob, v('C') / ib, kh, kw, ib, ob]), q.stride!, q.pad!, q.dilation!];
    }
    case 'depthwise_conv2d_NCHWc': {
      const b = v('block');
      return [T([v('N'), v('C') / b, v('H'), v('W'), b]), T([v('C') / b, 1, kh, kw, 1, b]), q.stride!, q.pad!, q.dilation!];
    }
    case 'conv2d_transpose': return [T(X), T([v('C'), v('O') / v('groups'), kh, kw]), q.stride!, q.pad!, q.output_padding!, q.dilation!, v('groups')];
    default: throw new OpParamError(`no workload args for op ${spec.op}`);
  }
}

/** How many workload args op `spec` has (an optional epilogue list follows them). */
export function opArgCount(spec: OpSpec): number {
  return ({ conv2d: 6, conv2d_nchw_packed: 6, depthwise_conv2d: 5, conv2d_NCHWc: 5, conv2d_gemm: 5, conv2d_gemm_NCHWc: 5, depthwise_conv2d_NCHWc: 5, conv2d_winograd: 3, conv2d_winograd_m4: 3, conv2d_transpose: 7 } as Record<string, number>)[spec.op] ?? 2;
}

const dimsOf = (a: WorkloadArg | undefined): number[] => {
  if (!Array.isArray(a) || a[0] !== 'TENSOR') throw new TypeError(`expected a tensor argument, got ${JSON.stringify(a)}`);
  return [...(a[1] as number[])];
};
const listOf = (a: WorkloadArg | undefined): number[] => [...(a as number[])];

/** The complete parameters of a template's workload args (the inverse of opArgs). */
export function paramsOfArgs(spec: OpSpec, args: readonly WorkloadArg[]): OpParams {
  const a = dimsOf(args[0]);
  const b = dimsOf(args[1]);
  switch (spec.op) {
    case 'dense': return { M: [a[0]!], K: [a[1]!], N: [b[0]!] };
    case 'matmul': return { M: [a[0]!], K: [a[1]!], N: [b[1]!] };
    case 'batch_matmul': return { B: [a[0]!], M: [a[1]!], K: [a[2]!], N: [b[2]!] };
  }
  const [N, C, H, W] = a;
  const base: OpParams = { N: [N!], C: [C!], H: [H!], W: [W!] };
  switch (spec.op) {
    case 'conv2d': return { ...base, O: [b[0]!], kernel: [b[2]!, b[3]!], stride: listOf(args[2]), pad: listOf(args[3]), dilation: listOf(args[4]), groups: [args[5] as number] };
    case 'conv2d_gemm': return { ...base, O: [b[0]!], kernel: [b[2]!, b[3]!], stride: listOf(args[2]), pad: listOf(args[3]), dilation: listOf(args[4]) };
    case 'depthwise_conv2d': return { ...base, kernel: [b[2]!, b[3]!], stride: listOf(args[2]), pad: listOf(args[3]), dilation: listOf(args[4]), multiplier: [b[0]! / C!] };
    case 'conv2d_nchw_packed': return { ...base, O: [args[5] as number], kernel: [b[2]!, b[3]!], stride: listOf(args[2]), pad: listOf(args[3]), dilation: listOf(args[4]), oc_block: [b[4]!] };
    case 'conv2d_winograd':
    case 'conv2d_winograd_m4': return { ...base, O: [b.length === 3 ? b[1]! : b[0]!], kernel: [3, 3], stride: [1, 1], pad: listOf(args[2]), transformed: [b.length === 3 ? 1 : 0] };
    case 'conv2d_NCHWc':
    case 'conv2d_gemm_NCHWc': return { N: [a[0]!], C: [a[1]! * a[4]!], H: [a[2]!], W: [a[3]!], O: [b[0]! * b[5]!], kernel: [b[2]!, b[3]!], stride: listOf(args[2]), pad: listOf(args[3]), dilation: listOf(args[4]), ic_block: [a[4]!], oc_block: [b[5]!] };
    case 'depthwise_conv2d_NCHWc': return { N: [a[0]!], C: [a[1]! * a[4]!], H: [a[2]!], W: [a[3]!], kernel: [b[2]!, b[3]!], stride: listOf(args[2]), pad: listOf(args[3]), dilation: listOf(args[4]), block: [a[4]!] };
    case 'conv2d_transpose': return { ...base, O: [b[1]! * (args[6] as number)], kernel: [b[2]!, b[3]!], stride: listOf(args[2]), pad: listOf(args[3]), output_padding: listOf(args[4]), dilation: listOf(args[5]), groups: [args[6] as number] };
    default: throw new OpParamError(`no parameters for op ${spec.op}`);
  }
}

/** `--shape` text of complete parameters: positional for products; else named, defaults left out, lists shortest. */
export function formatOpParams(spec: OpSpec, q: OpParams): string {
  if (spec.positional !== undefined) return spec.positional.map((n) => q[n]![0]).join(',');
  const short = (v: readonly number[]): readonly number[] => {
    if (v.every((x) => x === v[0])) return [v[0]!];
    if (v.length === 4 && v[0] === v[2] && v[1] === v[3]) return [v[0]!, v[1]!];
    return v;
  };
  const parts: string[] = [];
  for (const prm of spec.params) {
    const v = q[prm.name];
    if (v === undefined) continue;
    const s = short(v);
    const isDefault = prm.dflt !== undefined && prm.name !== 'N' && s.length === prm.dflt.length && s.every((x, i) => x === prm.dflt![i]);
    if (isDefault) continue;
    parts.push(`${prm.name}=${s.join('x')}`);
  }
  return parts.join(',');
}

/** An entry of ../shared/workloads.json (AutoTVM/Ansor shapes): conv C,H,W,O,R,stride,pad; products M,K,N,B. */
export interface WorkloadEntry {
  readonly id: string;
  readonly op: string;
  readonly [k: string]: unknown;
}

/** The parameters of workload entry `w` for op `spec` (its op must be one the spec takes). */
export function paramsOfWorkload(spec: OpSpec, w: WorkloadEntry): OpParams {
  if (!spec.workloadOps.includes(w.op)) {
    const ok = OP_SPECS.filter((s) => s.workloadOps.includes(w.op)).map((s) => s.op);
    throw new OpParamError(`workload ${w.id} is a ${w.op}; --op ${spec.op} cannot take it (ops that can: ${ok.join(', ') || 'none'})`);
  }
  const num = (k: string): number[] => {
    const x = w[k];
    if (typeof x !== 'number') throw new OpParamError(`workload ${w.id}: field ${k} is missing or not a number`);
    return [x];
  };
  if (spec.positional !== undefined) return Object.fromEntries(spec.positional.map((n) => [n, num(n)]));
  const out: OpParams = { N: typeof w.N === 'number' ? [w.N] : [1], C: num('C'), H: num('H'), W: num('W'), kernel: num('R'), pad: typeof w.pad === 'number' ? [w.pad] : [0] };
  if (winogradTile(spec) === undefined || (typeof w.stride === 'number' && w.stride !== 1)) out.stride = typeof w.stride === 'number' ? [w.stride] : [1];
  if (spec.op !== 'depthwise_conv2d' && spec.op !== 'depthwise_conv2d_NCHWc') out.O = num('O');
  return out;
}
