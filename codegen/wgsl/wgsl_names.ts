// codegen/wgsl/wgsl_names.ts — gives TIR variables and buffers unique, legal WGSL identifiers
// (TIR names repeat, contain dots, and may hit WGSL keywords or built-in function names).

import type { Buffer, Var } from '../../tir/nodes.js';

// WGSL keywords, reserved words and the built-ins the generated code calls: never user names.
const RESERVED = new Set((
  'alias break case const const_assert continue continuing default diagnostic discard else enable false fn for if ' +
  'let loop override requires return struct switch true var while NULL Self abstract active alignas alignof as asm ' +
  'asm_fragment async attribute auto await become binding_array cast catch class co_await co_return co_yield ' +
  'coherent column_major common compile compile_fragment concept const_cast consteval constexpr constinit crate ' +
  'debugger decltype delete demote demote_to_helper do dynamic_cast enum explicit export extends extern external ' +
  'fallthrough filter final finally friend from fxgroup get goto groupshared highp impl implements import inline ' +
  'instanceof interface layout lowp macro macro_rules match mediump meta mod module move mut mutable namespace new ' +
  'nil noexcept noinline nointerpolation noperspective null nullptr of operator package packoffset partition pass ' +
  'patch pixelfragment precise precision premerge priv protected pub public readonly ref regardless register ' +
  'reinterpret_cast require resource restrict self set shared signed sizeof smooth snorm static static_assert ' +
  'static_cast std subroutine super target template this thread_local throw trait try type typedef typeid typename ' +
  'typeof union unless unorm unsafe unsized use using varying virtual volatile wgsl where with writeonly yield ' +
  'array atomic bool f16 f32 i32 u32 vec2 vec3 vec4 mat2x2 mat3x3 mat4x4 ptr sampler texture_2d ' +
  'abs ceil clamp cos exp floor fma inverseSqrt log max min pow round select sin sqrt tanh trunc bitcast ' +
  'workgroupBarrier storageBarrier main'
).split(' '));

/** Assigns names once per object identity; later lookups return the same name. */
export class NameTable {
  private readonly used = new Set<string>();
  private readonly vars = new Map<Var, string>();
  private readonly buffers = new Map<Buffer, string>();

  /** A fresh legal identifier based on `hint` (internal names use the reserved `tt_` prefix). */
  fresh(hint: string): string {
    let base = hint.replace(/[^A-Za-z0-9_]/g, '_').replace(/^_+/, '');
    if (base === '' || /^[0-9]/.test(base)) base = 'v' + base;
    if (base.startsWith('tt_')) base = 'u' + base;
    let name = base;
    for (let n = 1; this.used.has(name) || RESERVED.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }

  /** Reserves an exact internal name (`tt_lid`, helper functions). */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  bindVar(v: Var): string {
    const name = this.fresh(v.name);
    this.vars.set(v, name);
    return name;
  }

  varName(v: Var): string | undefined {
    return this.vars.get(v);
  }

  bindBuffer(b: Buffer): string {
    const existing = this.buffers.get(b);
    if (existing) return existing;
    const name = this.fresh(b.name);
    this.buffers.set(b, name);
    return name;
  }

  /** A fresh name for a buffer allocated again (loop partition copies an Allocate). */
  rebindBuffer(b: Buffer): string {
    const name = this.fresh(b.name);
    this.buffers.set(b, name);
    return name;
  }

  bufferName(b: Buffer): string | undefined {
    return this.buffers.get(b);
  }
}
