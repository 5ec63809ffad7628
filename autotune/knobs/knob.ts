// autotune/knobs/knob.ts — the shape every knob space and entity shares (AutoTVM's TransformSpace / *Entity).

/** AutoTVM's knob type tags as written in log records: split, reorder, annotate, other. */
export type KnobKind = 'sp' | 're' | 'an' | 'ot';

/** One chosen value of a knob. */
export interface KnobEntityBase {
  readonly kind: KnobKind;
  /** The value as a log record's entity stores it (`[-1, 8]`, `[0, 2, 1]`, `["none", "vec"]`, any JSON). */
  toData(): unknown;
  /** Numbers for the 'knob' feature type (AutoTVM's get_flatten_feature). */
  features(): number[];
}

/** All values a knob can take, in a fixed order: entity i is digit value i of a config index. */
export interface KnobSpace<E extends KnobEntityBase = KnobEntityBase> {
  readonly kind: KnobKind;
  readonly length: number;
  entity(i: number): E;
  /** The position of a log record's value in this space, or -1. */
  indexOfData(value: unknown): number;
  /** A short description, e.g. `Split(policy=factors, product=512, numOutputs=2) len=10`. */
  describe(): string;
}

/** Deep equality of JSON-like values (knob values are plain data). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return jsonEqual(ka, kb) && ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}
