// autotune/knobs/annotate.ts — the annotate knob: unroll / vectorize / GPU-bind choices per axis (AutoTVM's AnnotateSpace).

import type { ThreadTag } from '../../tir/nodes.js';
import { jsonEqual, type KnobEntityBase, type KnobSpace } from './knob.js';
import type { StageLike } from './stage_like.js';

export type AnnotatePolicy =
  | 'identity' | 'unroll' | 'vec' | 'try_unroll' | 'try_vec' | 'try_unroll_vec' | 'bind_gpu';

export type Annotation = 'none' | 'unroll' | 'vec' | 'fuse' | ThreadTag;

/** AutoTVM's one-hot positions for the knob feature type. */
const ANN_NUMBER: Readonly<Record<Annotation, number>> = {
  none: 0, vec: 1, unroll: 2, 'blockIdx.x': 3, 'blockIdx.y': 4, 'blockIdx.z': 5,
  'threadIdx.x': 6, 'threadIdx.y': 7, 'threadIdx.z': 8, vthread: 9, fuse: 10,
};
const N_ANN = 11;

export interface AnnotateApplyOptions {
  /** Constant lengths of `axes`, needed for the checks below. */
  readonly axisLens?: readonly number[];
  /** An unrolled axis longer than this makes the config invalid. */
  readonly maxUnroll?: number;
  /** Allowed vector lengths; another length makes the config invalid. */
  readonly vecSize?: readonly number[];
  /** Where a rejected config reports why (the template's cfg). */
  readonly cfg?: { raiseError(msg: string): void };
}

export class AnnotateEntity implements KnobEntityBase {
  readonly kind = 'an' as const;
  readonly anns: readonly Annotation[];

  constructor(anns: readonly string[]) {
    for (const a of anns) {
      if (!(a in ANN_NUMBER)) throw new TypeError(`annotate knob: unknown annotation '${a}'`);
    }
    this.anns = Object.freeze([...anns] as Annotation[]);
  }

  /** Annotates axes[i] with anns[i]; 'fuse' fuses an axis into the next one. Returns the axes. */
  apply<Ax>(_s: unknown, stage: StageLike<Ax>, axes: readonly Ax[], opts: AnnotateApplyOptions = {}): Ax[] {
    const out = [...axes];
    this.anns.forEach((ann, i) => {
      const ax = out[i];
      if (ax === undefined) throw new RangeError(`annotate knob: ${this.anns.length} annotations for ${axes.length} axes`);
      const len = opts.axisLens?.[i];
      switch (ann) {
        case 'none':
          return;
        case 'unroll':
          if (opts.maxUnroll !== undefined && len !== undefined && len > opts.maxUnroll) {
            opts.cfg?.raiseError(`Too large factor for unrolling (${len} > ${opts.maxUnroll})`);
          }
          stage.unroll(ax);
          return;
        case 'vec':
          if (opts.vecSize && len !== undefined && !opts.vecSize.includes(len)) {
            opts.cfg?.raiseError(`Wrong size of lanes in vectorization (${len} not in ${opts.vecSize.join(', ')})`);
          }
          stage.vectorize(ax);
          return;
        case 'fuse': {
          const next = out[i + 1];
          if (next === undefined) throw new RangeError('annotate knob: fuse on the last axis');
          out[i + 1] = stage.fuse(ax, next);
          return;
        }
        default:
          stage.bind(ax, ann);
      }
    });
    return out;
  }

  toData(): string[] {
    return [...this.anns];
  }

  features(): number[] {
    const out: number[] = [];
    for (const a of this.anns) {
      const oneHot = new Array<number>(N_ANN).fill(0);
      oneHot[ANN_NUMBER[a]] = 1;
      out.push(...oneHot);
    }
    return out;
  }
}

export class AnnotateSpace implements KnobSpace<AnnotateEntity> {
  readonly kind = 'an' as const;
  readonly entities: readonly AnnotateEntity[];

  constructor(numAxes: number, readonly policy: AnnotatePolicy) {
    const what = `defineAnnotate(${numAxes} axes, '${policy}')`;
    if (numAxes < 1) throw new RangeError(`${what}: needs at least one axis`);
    if (policy === 'bind_gpu') {
      let tail: Annotation[];
      if (numAxes >= 6) tail = ['blockIdx.z', 'blockIdx.y', 'blockIdx.x', 'threadIdx.z', 'threadIdx.y', 'threadIdx.x'];
      else if (numAxes >= 4) tail = ['blockIdx.y', 'blockIdx.x', 'threadIdx.y', 'threadIdx.x'];
      else if (numAxes >= 2) tail = ['blockIdx.x', 'threadIdx.x'];
      else throw new RangeError(`${what}: bind_gpu needs at least two axes`);
      this.entities = [new AnnotateEntity([...new Array<Annotation>(numAxes - tail.length).fill('fuse'), ...tail])];
      return;
    }
    // AutoTVM: 'try_unroll_vec' → each axis one of none/unroll/vec; at most one vectorized axis.
    const choices = policy === 'identity' ? ['none'] : policy.replace('try', 'none').split('_');
    for (const c of choices) {
      if (c !== 'none' && c !== 'unroll' && c !== 'vec') throw new TypeError(`${what}: unknown policy`);
    }
    const entities: AnnotateEntity[] = [];
    const stack: string[] = new Array<string>(numAxes).fill('none');
    const dfs = (now: number): void => {
      if (now === numAxes) {
        if (stack.filter((a) => a === 'vec').length <= 1) entities.push(new AnnotateEntity(stack));
        return;
      }
      for (const c of choices) {
        stack[now] = c;
        dfs(now + 1);
      }
    };
    dfs(0);
    if (entities.length === 0) throw new RangeError(`${what}: no annotation fits (at most one axis may be vectorized)`);
    this.entities = entities;
  }

  get length(): number {
    return this.entities.length;
  }

  entity(i: number): AnnotateEntity {
    const e = this.entities[i];
    if (!e) throw new RangeError(`annotate knob: entity ${i} out of range [0, ${this.length})`);
    return e;
  }

  indexOfData(value: unknown): number {
    return this.entities.findIndex((e) => jsonEqual(e.anns, value));
  }

  describe(): string {
    return `Annotate(policy=${this.policy}) len=${this.length}`;
  }
}
