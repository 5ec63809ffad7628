// relay/ty.ts — relay's types: a tensor type (static shape + dtype) and tuple types, with checks and printing.

/** Element types of relay tensors. ONNX int64 maps to int32 and bool to int32 (0/1): our kernels handle float32 and int32. */
export type RelayDType = 'float32' | 'int32';

export interface TensorType {
  readonly kind: 'TensorType';
  readonly shape: readonly number[];
  readonly dtype: RelayDType;
}

export interface TupleType {
  readonly kind: 'TupleType';
  readonly fields: readonly Type[];
}

export type Type = TensorType | TupleType;

/** A tensor type; every dimension must be a non-negative integer (relay graphs are statically shaped). */
export function tensorType(shape: readonly number[], dtype: RelayDType = 'float32'): TensorType {
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`relay.TensorType: dimension ${i} is ${d}, not a non-negative integer`);
  });
  if (dtype !== 'float32' && dtype !== 'int32') throw new TypeError(`relay.TensorType: dtype '${String(dtype)}' is not float32 or int32`);
  return Object.freeze({ kind: 'TensorType', shape: Object.freeze([...shape]), dtype });
}

export function tupleType(fields: readonly Type[]): TupleType {
  return Object.freeze({ kind: 'TupleType', fields: Object.freeze([...fields]) });
}

/** Number of elements of a tensor type. */
export function sizeOf(t: TensorType): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

export function typeEqual(a: Type, b: Type): boolean {
  if (a.kind === 'TensorType') {
    return b.kind === 'TensorType' && a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
  }
  return b.kind === 'TupleType' && a.fields.length === b.fields.length && a.fields.every((f, i) => typeEqual(f, b.fields[i]!));
}

/** TVM's text form: `Tensor[(1, 3, 224, 224), float32]`, `(Tensor[...], Tensor[...])`. */
export function printType(t: Type): string {
  if (t.kind === 'TensorType') {
    const dims = t.shape.length === 1 ? `${t.shape[0]},` : t.shape.join(', ');
    return `Tensor[(${dims}), ${t.dtype}]`;
  }
  return `(${t.fields.map(printType).join(', ')})`;
}

/** The tensor type of `t`, or an error naming `what` when it is a tuple. */
export function asTensor(t: Type, what: string): TensorType {
  if (t.kind !== 'TensorType') throw new TypeError(`${what}: expected a tensor, got the tuple ${printType(t)}`);
  return t;
}
