// tests/schedule/storage_scope.test.ts — the scope a stage is allocated in (found unchecked in
// tests/schedule by mutation testing, fresh sample seed 52): a scope set by cacheRead wins over
// the attach point; an unset one comes from it (threadIdx → local, blockIdx → shared, root →
// global, as TVM's InferStorageScope); results still match the tfjs-core reference.

import { beforeAll, describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { allocations, cpuBackend, denseBiasRelu, expectClose, matmul, runFunc } from './helpers.js';

beforeAll(cpuBackend);

/** relu(mm + bias) with relu's rows on blockIdx.x and columns on threadIdx.x. */
function boundRelu(M: number, N: number): { w: ReturnType<typeof denseBiasRelu>; s: te.Schedule; r: te.Stage } {
  const w = denseBiasRelu(M, N, 5);
  const s = te.createSchedule(w.out);
  const r = s.stage(w.out);
  r.bind(r.axis[0]!, 'blockIdx.x');
  r.bind(r.axis[1]!, 'threadIdx.x');
  return { w, s, r };
}

const scopeOf = (f: ReturnType<typeof te.lower>, name: string): string | undefined => allocations(f.body).find((b) => b.name === name)?.scope;

describe('storage scope of a stage', () => {
  it('an unset scope comes from the attach point: threadIdx → local, blockIdx → shared, root → global', () => {
    for (const [M, N] of [[4, 8], [3, 5]] as const) {
      const atThread = boundRelu(M, N);
      atThread.s.stage(atThread.w.mm).computeAt(atThread.r, atThread.r.leafIterVars[1]!);
      const f1 = te.lower(atThread.s, atThread.w.args, { name: 'f' });
      expect(scopeOf(f1, 'mm')).toBe('local');
      expectClose(runFunc(f1, atThread.w.args), atThread.w.reference());

      const atBlock = boundRelu(M, N);
      atBlock.s.stage(atBlock.w.mm).computeAt(atBlock.r, atBlock.r.leafIterVars[0]!);
      const f2 = te.lower(atBlock.s, atBlock.w.args, { name: 'f' });
      expect(scopeOf(f2, 'mm')).toBe('shared');
      expectClose(runFunc(f2, atBlock.w.args), atBlock.w.reference());

      const atRoot = boundRelu(M, N);
      expect(scopeOf(te.lower(atRoot.s, atRoot.w.args, { name: 'f' }), 'mm')).toBe('global');
    }
  });

  it('a scope set by cacheRead wins over the attach point (shared under threadIdx stays shared)', () => {
    const w = matmul(4, 8, 6);
    const s = te.createSchedule(w.out);
    const c = s.stage(w.out);
    c.bind(c.axis[0]!, 'blockIdx.x');
    c.bind(c.axis[1]!, 'threadIdx.x');
    const AA = s.cacheRead(w.A, 'shared', [w.out]);
    s.stage(AA).computeAt(c, c.leafIterVars[1]!);
    const f = te.lower(s, w.args, { name: 'f' });
    const cached = allocations(f.body).filter((b) => b.name.startsWith('A'));
    expect(cached.map((b) => b.scope)).toEqual(['shared']);
    expectClose(runFunc(f, w.args), w.reference());
  });
});
