// tests/tir/nodes_thread_tags.test.ts — tir.THREAD_TAGS, the thread tags a schedule may bind an
// axis to, is TVM's set (blockIdx.x/y/z, threadIdx.x/y/z, vthread: TVM's thread_storage_scope.h),
// and te's `bind` accepts each of them, carrying it to the lowered loop, and refuses others.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { THREAD_TAGS, type For, type Stmt, type ThreadTag } from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';

const TVM_TAGS = ['blockIdx.x', 'blockIdx.y', 'blockIdx.z', 'threadIdx.x', 'threadIdx.y', 'threadIdx.z', 'vthread'];

function loops(s: Stmt, out: For[] = []): For[] {
  if (s.kind === 'For') { out.push(s); loops(s.body, out); }
  else if (s.kind === 'SeqStmt') s.seq.forEach((c) => loops(c, out));
  else if (s.kind === 'IfThenElse') { loops(s.thenCase, out); if (s.elseCase) loops(s.elseCase, out); }
  else if (s.kind === 'LetStmt' || s.kind === 'Allocate') loops(s.body, out);
  return out;
}

describe('THREAD_TAGS', () => {
  it('is exactly TVM\'s seven thread tags', () => {
    expect([...THREAD_TAGS].sort()).toEqual([...TVM_TAGS].sort());
    expect(new Set(THREAD_TAGS).size).toBe(THREAD_TAGS.length);
  });

  it.each(TVM_TAGS)('te bind accepts %s; the lowered loop carries it and computes B = 2A + 1', (tag) => {
    const n = 13;
    const A = te.placeholder([n], 'float32', 'A');
    const B = te.compute([n], (i) => A.at(i).mul(2).add(1), 'B');
    const s = te.createSchedule([B]);
    const st = s.stage(B);
    st.bind(st.axis[0]!, tag as ThreadTag);
    const f = te.lower(s, [A, B], { name: 'f' });
    const bound = loops(f.body).filter((l) => l.forKind === 'threadBinding');
    expect(bound.map((l) => l.threadTag)).toEqual([tag]);
    const a = Float32Array.from({ length: n }, (_, i) => i - 6.5);
    const b = new Float32Array(n);
    interpret(f, [a, b]);
    expect([...b]).toEqual([...a].map((x) => Math.fround(2 * x + 1)));
  });

  it('te bind refuses a tag outside the set, listing the seven', () => {
    const A = te.placeholder([4], 'float32', 'A');
    const B = te.compute([4], (i) => A.at(i), 'B');
    const st = te.createSchedule([B]).stage(B);
    expect(() => st.bind(st.axis[0]!, 'threadIdx.w' as ThreadTag)).toThrow(
      /bind: stage B, axis i: unknown thread tag 'threadIdx\.w' \(expected one of blockIdx\.x, blockIdx\.y, blockIdx\.z, threadIdx\.x, threadIdx\.y, threadIdx\.z, vthread\)/,
    );
  });
});
