// autotune/knobs/entity_data.ts — knob values from a log record's entity items ([name, kind, value]).

import { AnnotateEntity } from './annotate.js';
import { OtherOptionEntity } from './other.js';
import { ReorderEntity } from './reorder.js';
import { SplitEntity } from './split.js';

export type KnobEntity = SplitEntity | ReorderEntity | AnnotateEntity | OtherOptionEntity;

/** The entity a record stores for one knob; malformed values are errors naming the knob. */
export function entityOfData(name: string, kind: unknown, value: unknown): KnobEntity {
  const bad = (): never => { throw new TypeError(`config record: knob '${name}' of kind '${String(kind)}' has a malformed value ${JSON.stringify(value)}`); };
  switch (kind) {
    case 'sp':
      if (!Array.isArray(value) || value.length < 2 || !value.every((x) => Number.isInteger(x))) return bad();
      return new SplitEntity(value as number[]);
    case 're':
      if (!Array.isArray(value) || !value.every((x) => Number.isInteger(x))) return bad();
      return new ReorderEntity(value as number[]);
    case 'an':
      if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) return bad();
      return new AnnotateEntity(value as string[]);
    case 'ot':
      return new OtherOptionEntity(value);
    default:
      throw new TypeError(`config record: knob '${name}' has unknown kind '${String(kind)}' (expected sp, re, an or ot)`);
  }
}
