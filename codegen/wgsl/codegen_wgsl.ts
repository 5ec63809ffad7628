// codegen/wgsl/codegen_wgsl.ts — turns a lowered PrimFunc into one WGSL module (one compute entry
// point per kernel) plus the metadata a runtime needs: bindings, workgroup sizes, dispatches.

import { StmtExprVisitor } from '../../tir/functor.js';
import {
  elementType, lanesOf,
  type Buffer, type DataType, type For, type PrimExpr, type PrimFunc, type Stmt,
} from '../../tir/nodes.js';
import { currentPassContext } from '../../tir/pass_context.js';
import { constShape as constShapeOf, paramShapes } from '../../tir/param_shapes.js';
import { flatIndex } from '../../tir/passes/storage_flatten.js';
import { lowerForTarget } from '../target_passes.js';
import { isBarrier } from './insert_barriers.js';
import { SINGLE_INVOCATION_ATTR, webgpuPassOptions } from './kernel_passes.js';
import { launchConfig, splitKernels, DEFAULT_MAX_WORKGROUPS_PER_DIMENSION, type Dim3, type LaunchConfig } from './launch_config.js';
import { vec4Arrays, vec4StorageBuffers } from './vec4_layout.js';
import { ExprPrinter, HELPERS, intLiteral, wgslScalarType, wgslType } from './wgsl_expr.js';
import { NameTable } from './wgsl_names.js';

export interface WGSLBinding {
  readonly binding: number;
  readonly name: string;
  /** A function parameter (by position) or a scratch buffer the runtime allocates. */
  readonly source: 'param' | 'scratch';
  readonly index: number;
  readonly dtype: DataType;
  readonly elements: number;
  readonly access: 'read' | 'read_write';
}

export interface WGSLKernel extends LaunchConfig {
  readonly entryPoint: string;
  readonly workgroupStorageBytes: number;
  /** Set when the kernel uses subgroup built-ins: the subgroup size it assumes (its workgroup is one subgroup). */
  readonly subgroupSize?: number;
}

export interface WGSLMeta {
  readonly name: string;
  readonly kernels: readonly WGSLKernel[];
  readonly bindings: readonly WGSLBinding[];
  readonly argShapes: readonly (readonly number[])[];
  readonly argDTypes: readonly DataType[];
  readonly singleInvocation: boolean;
}

export interface WGSLOptions {
  /** Run a function that binds no loop as one invocation (slow; for debugging and odd ops). */
  readonly singleInvocation?: boolean;
  /** Skip barrier insertion (only to show what goes wrong without it). */
  readonly skipBarriers?: boolean;
  readonly maxWorkgroupsPerDimension?: number;
  /** Lay out shared/local arrays and storage buffers accessed by aligned 4-lane vectors as vec4 arrays (default true). */
  readonly vec4Layout?: boolean;
  /** Loops marked `unrolled` with more iterations than this stay loops (default: the pass context's maxUnroll, 64). */
  readonly maxUnroll?: number;
}

const THREAD_VAR: Readonly<Record<string, string>> = {
  'threadIdx.x': 'tt_tx', 'threadIdx.y': 'tt_ty', 'threadIdx.z': 'tt_tz',
  'blockIdx.x': 'tt_bx', 'blockIdx.y': 'tt_by', 'blockIdx.z': 'tt_bz',
};

const constShape = (b: Buffer): number[] => constShapeOf(b, 'webgpu');

/** Row-major flattening for buffers still indexed per dimension (tir's, as storage flatten does). */
const flatIndexOf = (b: Buffer, indices: readonly PrimExpr[]): PrimExpr => flatIndex(b.shape, indices);

function storedBuffers(s: Stmt): Set<Buffer> {
  const out = new Set<Buffer>();
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'BufferStore') out.add(st.buffer);
      super.visitStmt(st);
    }
  }
  new V().visitStmt(s);
  return out;
}

function containsBarrier(s: Stmt): boolean {
  let found = false;
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (isBarrier(st)) found = true;
      else super.visitStmt(st);
    }
  }
  new V().visitStmt(s);
  return found;
}

/** Prints the statements of one kernel; module-scope declarations go to `moduleDecls`. */
class KernelPrinter {
  readonly lines: string[] = [];
  workgroupBytes = 0;
  private depth = 1;
  /** Thread tags whose loops enclose the statement being printed. */
  private readonly inScope = new Set<string>();

  constructor(
    private readonly names: NameTable,
    private readonly expr: ExprPrinter,
    private readonly launch: LaunchConfig,
    private readonly moduleDecls: string[],
    private readonly maxUnroll: number,
  ) {}

  private emit(line: string): void {
    this.lines.push('  '.repeat(this.depth) + line);
  }

  private block(open: string, body: () => void): void {
    this.emit(open === '' ? '{' : `${open} {`);
    this.depth++;
    body();
    this.depth--;
    this.emit('}');
  }

  /** Lets inside expressions become `let` statements first (WGSL has no let-expressions). */
  private hoistLets(exprs: readonly PrimExpr[]): void {
    const self = this;
    class V extends StmtExprVisitor {
      override visitExpr(e: PrimExpr): void {
        if (e.kind !== 'Let') return super.visitExpr(e);
        this.visitExpr(e.value);
        const value = self.expr.print(e.value);
        self.emit(`let ${self.names.bindVar(e.variable)} = ${value};`);
        this.visitExpr(e.body);
      }
    }
    const v = new V();
    for (const e of exprs) v.visitExpr(e);
  }

  stmt(s: Stmt): void {
    switch (s.kind) {
      case 'SeqStmt':
        for (const c of s.seq) this.stmt(c);
        return;
      case 'For':
        return this.forLoop(s);
      case 'LetStmt':
        this.hoistLets([s.value]);
        this.emit(`let ${this.names.bindVar(s.variable)} = ${this.expr.print(s.value)};`);
        return this.stmt(s.body);
      case 'IfThenElse': {
        this.hoistLets([s.condition]);
        this.block(`if (${this.expr.print(s.condition)})`, () => this.stmt(s.thenCase));
        const elseCase = s.elseCase;
        if (elseCase) {
          this.lines.pop();
          this.block('} else', () => this.stmt(elseCase));
        }
        return;
      }
      case 'BufferStore':
        return this.store(s);
      case 'Allocate':
        return this.allocate(s.buffer, s.body);
      case 'Evaluate':
        if (isBarrier(s)) return this.emit('workgroupBarrier();');
        if (s.value.kind === 'IntImm' || s.value.kind === 'FloatImm') return;
        this.hoistLets([s.value]);
        return this.emit(`_ = ${this.expr.print(s.value)};`);
    }
  }

  private forLoop(s: For): void {
    if (s.forKind === 'threadBinding' && s.threadTag !== 'vthread') return this.boundLoop(s);
    if (s.forKind === 'parallel') {
      throw new Error(`webgpu: loop ${s.loopVar.name} is marked parallel (a CPU schedule); bind it to blockIdx/threadIdx for webgpu`);
    }
    this.hoistLets([s.min, s.extent]);
    const min = this.expr.print(s.min);
    const extent = s.extent.kind === 'IntImm' ? s.extent.value : undefined;
    if (s.forKind === 'unrolled' && extent !== undefined && extent <= this.maxUnroll) {
      for (let k = 0; k < extent; k++) {
        this.block('', () => {
          const v = this.names.bindVar(s.loopVar);
          this.emit(`let ${v} = ${s.min.kind === 'IntImm' ? intLiteral(s.min.value + k) : `${min} + ${intLiteral(k)}`};`);
          this.stmt(s.body);
        });
      }
      return;
    }
    const note = s.forKind === 'unrolled' ? ' // unroll skipped: extent too large or not constant' : '';
    if (s.min.kind !== 'IntImm') {
      // Count from 0 so the loop condition stays uniform (WGSL's barrier rule) even when the
      // start depends on the thread index.
      const k = this.names.fresh(`${s.loopVar.name}_k`);
      this.block(`for (var ${k}: i32 = 0i; ${k} < ${this.expr.print(s.extent)}; ${k} = ${k} + 1i)${note}`, () => {
        this.emit(`let ${this.names.bindVar(s.loopVar)} = ${min} + ${k};`);
        this.stmt(s.body);
      });
      return;
    }
    const end = s.min.value === 0 ? this.expr.print(s.extent) : `${min} + ${this.expr.print(s.extent)}`;
    const v = this.names.bindVar(s.loopVar);
    this.block(`for (var ${v}: i32 = ${min}; ${v} < ${end}; ${v} = ${v} + 1i)${note}`, () => this.stmt(s.body));
  }

  /** A thread-bound loop is one iteration per thread: its variable is the thread's index. */
  private boundLoop(s: For): void {
    const tag = s.threadTag!;
    const axis = 'xyz'.indexOf(tag.slice(-1));
    const full = tag.startsWith('threadIdx') ? this.launch.workgroupSize[axis]! : this.launch.grid[axis]!;
    const extent = s.extent.kind === 'IntImm' ? s.extent.value : full;
    const index = THREAD_VAR[tag]!;
    this.block('', () => {
      const v = this.names.bindVar(s.loopVar);
      this.emit(`let ${v} = ${s.min.kind === 'IntImm' && s.min.value === 0 ? index : `${index} + ${this.expr.print(s.min)}`};`);
      const outer = this.inScope.has(tag);
      this.inScope.add(tag);
      if (extent >= full) this.stmt(s.body);
      else if (containsBarrier(s.body)) {
        throw new Error(`webgpu: loop ${s.loopVar.name} bound to ${tag} has extent ${extent} < ${full} and contains a barrier; give every ${tag} loop the same extent`);
      } else {
        this.block(`if (${index} < ${intLiteral(extent)})`, () => this.stmt(s.body));
      }
      if (!outer) this.inScope.delete(tag);
    });
  }

  /**
   * Every invocation runs the whole shader, but a statement outside a threadIdx (or blockIdx)
   * loop means "once", as the interpreter runs it: such stores to shared/global memory are done
   * by index 0 of each missing dimension only (a read-modify-write by all would race).
   */
  private storeGuard(b: Buffer): string | undefined {
    if (b.scope === 'local') return undefined;
    const conds: string[] = [];
    ['threadIdx', 'blockIdx'].forEach((kind) => {
      const dims = kind === 'threadIdx' ? this.launch.workgroupSize : this.launch.grid;
      'xyz'.split('').forEach((a, i) => {
        const tag = `${kind}.${a}`;
        if (dims[i]! > 1 && !this.inScope.has(tag)) conds.push(`${THREAD_VAR[tag]} == 0i`);
      });
    });
    return conds.length > 0 ? conds.join(' && ') : undefined;
  }

  private store(s: Extract<Stmt, { kind: 'BufferStore' }>): void {
    this.hoistLets([s.value, ...s.indices]);
    const name = this.names.bufferName(s.buffer);
    if (!name) throw new Error(`webgpu: buffer ${s.buffer.name} is stored to but neither a parameter nor allocated`);
    const index = flatIndexOf(s.buffer, s.indices);
    const lanes = lanesOf(s.value.dtype);
    const value = this.expr.print(s.value);
    const emitStore = (): void => {
      if (lanes === 1) return this.emit(`${this.expr.element(s.buffer, name, this.expr.print(index))} = ${value};`);
      wgslType(s.value.dtype, `store ${s.buffer.name}`);
      const slot = lanes === 4 ? this.expr.vec4Slot(s.buffer, name, index) : undefined;
      if (slot) return this.emit(`${slot} = ${value};`);
      this.block('', () => {
        this.emit(`let tt_v = ${value};`);
        this.expr.laneIndices(index, lanes).forEach((ix, i) => this.emit(`${this.expr.element(s.buffer, name, ix)} = tt_v[${i}];`));
      });
    };
    const guard = this.storeGuard(s.buffer);
    if (guard) this.block(`if (${guard})`, emitStore);
    else emitStore();
  }

  private allocate(b: Buffer, body: Stmt): void {
    const elements = constShape(b).reduce((x, y) => x * y, 1);
    const scalar = wgslScalarType(b.dtype, `allocate ${b.name}`);
    const type = this.expr.vec4.has(b) ? `array<vec4<${scalar}>, ${elements / 4}>` : `array<${scalar}, ${elements}>`;
    if (b.scope === 'shared') {
      // The same buffer allocated again (loop partition copies Allocates) reuses its array:
      // the two live ranges are sequential.
      if (!this.names.bufferName(b)) {
        this.moduleDecls.push(`var<workgroup> ${this.names.bindBuffer(b)}: ${type};`);
        this.workgroupBytes += elements * 4;
      }
    } else if (b.scope === 'local') {
      this.emit(`var ${this.names.rebindBuffer(b)}: ${type};`);
    } else {
      throw new Error(`webgpu: global allocation ${b.name} inside a kernel; use scope 'shared' or 'local', or compute it at root`);
    }
    this.stmt(body);
  }
}

function prelude(launch: LaunchConfig, subgroup: boolean): string[] {
  // In a one-subgroup workgroup the subgroup's own lane numbering is threadIdx.x (WGSL leaves how
  // local_invocation_id maps onto lanes to the implementation).
  const out = [subgroup ? '  let tt_tx = i32(tt_lane);' : '  let tt_tx = i32(tt_lid.x);', '  let tt_ty = i32(tt_lid.y);', '  let tt_tz = i32(tt_lid.z);'];
  if (!launch.folded) {
    return [...out, '  let tt_bx = i32(tt_wid.x);', '  let tt_by = i32(tt_wid.y);', '  let tt_bz = i32(tt_wid.z);'];
  }
  const [gx, gy, gz] = launch.grid;
  const [dx, dy] = launch.dispatch;
  // Folded grid: recover blockIdx from the linear workgroup index; the tail workgroups exit
  // (a workgroup-uniform return, so barriers stay in uniform control flow).
  return [
    ...out,
    `  let tt_linear = i32(tt_wid.x) + i32(tt_wid.y) * ${dx}i + i32(tt_wid.z) * ${dx * dy}i;`,
    `  if (tt_linear >= ${gx * gy * gz}i) { return; }`,
    `  let tt_bx = tt_linear % ${gx}i;`,
    `  let tt_by = (tt_linear / ${gx}i) % ${gy}i;`,
    `  let tt_bz = tt_linear / ${gx * gy}i;`,
  ];
}

/** Generates the WGSL module and its metadata; throws clear errors for what WGSL cannot express. */
/**
 * The largest shader handed to the WGSL compiler: past this, Tint and the driver take minutes
 * (tir.unrollLoops already caps unrolling at 4096 stores, so only huge straight-line code gets here).
 */
export const MAX_WGSL_CHARS = 2_000_000;

export function codegenWGSL(func: PrimFunc, opts: WGSLOptions = {}): { code: string; meta: WGSLMeta } {
  // The webgpu target passes (codegen/target_passes.ts) run here only for IR that has not been
  // through them (compileWGSL runs them first, so its trace shows them).
  const f = lowerForTarget(func, 'webgpu', { webgpu: webgpuPassOptions(opts) }).func;
  const singleInvocation = f.attrs[SINGLE_INVOCATION_ATTR] === true;
  const maxPerDim = opts.maxWorkgroupsPerDimension ?? DEFAULT_MAX_WORKGROUPS_PER_DIMENSION;
  const argShapes = paramShapes(f, 'webgpu');
  const split = splitKernels(f.body, singleInvocation);
  const kernelsTir = split.kernels;
  const names = new NameTable();
  for (const n of ['tt_wid', 'tt_lid', 'tt_lane', 'tt_v', 'tt_linear', ...Object.values(THREAD_VAR)]) names.reserve(n);
  const written = new Set<Buffer>();
  for (const k of kernelsTir) for (const b of storedBuffers(k)) written.add(b);

  const bindings: WGSLBinding[] = [];
  const decls: string[] = [];
  const expr = new ExprPrinter(names, flatIndexOf);
  // Storage buffers accessed only by aligned vec4s are bound as array<vec4<…>>: one 16-byte load or
  // store per vector (tfjs-webgpu's vec4 matmul), where a schedule vectorized a contiguous axis by 4.
  if (opts.vec4Layout !== false) for (const b of vec4StorageBuffers(kernelsTir)) expr.vec4.add(b);
  const bindBuffer = (b: Buffer, source: 'param' | 'scratch', index: number): void => {
    if (elementType(b.dtype) !== 'float32' && elementType(b.dtype) !== 'int32') {
      throw new Error(`webgpu: buffer ${b.name} has dtype ${b.dtype}; storage buffers support float32 and int32`);
    }
    const name = names.bindBuffer(b);
    const access = source === 'param' && !written.has(b) ? 'read' : 'read_write';
    const elements = constShape(b).reduce((x, y) => x * y, 1);
    bindings.push({ binding: bindings.length, name, source, index, dtype: b.dtype, elements, access });
    const scalar = wgslScalarType(b.dtype, b.name);
    decls.push(`@group(0) @binding(${bindings.length - 1}) var<storage, ${access}> ${name}: array<${expr.vec4.has(b) ? `vec4<${scalar}>` : scalar}>;`);
  };
  f.params.forEach((p, i) => bindBuffer(p, 'param', i));
  split.scratch.forEach((b, i) => bindBuffer(b, 'scratch', i));

  const kernels: WGSLKernel[] = [];
  const bodies: string[] = [];
  let anySubgroup = false;
  kernelsTir.forEach((k, i) => {
    const launch: LaunchConfig = launchConfig(k, maxPerDim);
    const entryPoint = names.fresh(kernelsTir.length === 1 ? f.name : `${f.name}_${i}`);
    if (opts.vec4Layout !== false) for (const b of vec4Arrays(k)) expr.vec4.add(b);
    const printer = new KernelPrinter(names, expr, launch, decls, opts.maxUnroll ?? currentPassContext().config.maxUnroll);
    expr.subgroups = false;
    printer.stmt(k);
    const wg: Dim3 = launch.workgroupSize;
    // A kernel with subgroup shuffles is one subgroup (webgpu.lowerWarpMemory checked): its lanes are threadIdx.x.
    const subgroup = expr.subgroups;
    anySubgroup ||= subgroup;
    kernels.push({ ...launch, entryPoint, workgroupStorageBytes: printer.workgroupBytes, ...(subgroup ? { subgroupSize: wg[0] } : {}) });
    bodies.push([
      `@compute @workgroup_size(${wg.join(', ')})`,
      `fn ${entryPoint}(@builtin(workgroup_id) tt_wid: vec3<u32>, @builtin(local_invocation_id) tt_lid: vec3<u32>${subgroup ? ', @builtin(subgroup_invocation_id) tt_lane: u32' : ''}) {`,
      ...prelude(launch, subgroup),
      ...printer.lines,
      '}',
    ].join('\n'));
  });
  const helpers = [...expr.helpers].sort().map((h) => HELPERS[h]!);
  const code = [...(anySubgroup ? ['enable subgroups;'] : []), `// ${f.name}: generated by tensortune codegen.wgsl`, ...decls, '', ...helpers, ...bodies, ''].join('\n');
  if (code.length > MAX_WGSL_CHARS) {
    throw new Error(`webgpu: ${f.name}: the shader is ${code.length} characters of WGSL, over the ${MAX_WGSL_CHARS} this backend hands to the WGSL compiler ` +
      '(it would take minutes or fail); unroll less (split the axis and unroll only the inner part) or vectorize narrower');
  }
  const meta: WGSLMeta = {
    name: f.name, kernels, bindings, argShapes, argDTypes: f.params.map((p) => p.dtype), singleInvocation,
  };
  return { code, meta };
}
