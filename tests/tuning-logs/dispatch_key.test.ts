// tests/tuning-logs/dispatch_key.test.ts — small contracts the rest of tuning-logs stands on: the
// dispatch-context stack pushes and pops exactly its own context, workload keys tell workloads
// apart, and the shipped (tophub) logs are found. (Mutants that survived a sampled run.)

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentDispatchContext, pushDispatchContext, withDispatchContext, type DispatchContext } from '../../tuning-logs/dispatch_context.js';
import { tophubDir } from '../../tuning-logs/apply_history_best.js';
import { workloadKey } from '../../tuning-logs/workload_key.js';

const ctx = (name: string): DispatchContext & { name: string } => ({ name, query: () => undefined });

describe('dispatch context stack', () => {
  it('pops exactly the pushed context, once, in any order', () => {
    expect(currentDispatchContext()).toBeUndefined();
    const a = ctx('a');
    const b = ctx('b');
    const popA = pushDispatchContext(a);
    expect(currentDispatchContext()).toBe(a);
    const popB = pushDispatchContext(b);
    expect(currentDispatchContext()).toBe(b);
    popA(); // out of order: b stays innermost
    expect(currentDispatchContext()).toBe(b);
    popA(); // a second pop of a context no longer there removes nothing
    expect(currentDispatchContext()).toBe(b);
    popB();
    expect(currentDispatchContext()).toBeUndefined();
  });

  it('restores the outer context after withDispatchContext, also when the body throws', async () => {
    const outer = ctx('outer');
    const pop = pushDispatchContext(outer);
    const inner = ctx('inner');
    expect(await withDispatchContext(inner, () => currentDispatchContext())).toBe(inner);
    await expect(withDispatchContext(inner, () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(currentDispatchContext()).toBe(outer);
    pop();
    expect(currentDispatchContext()).toBeUndefined();
  });
});

describe('workloadKey', () => {
  it('is equal for equal workloads and differs when the name, a shape or a dtype differs', () => {
    const args = [['TENSOR', [1, 1024], 'float32'], ['TENSOR', [1000, 1024], 'float32']] as const;
    const key = workloadKey('dense.wasm', args);
    expect(workloadKey('dense.wasm', [['TENSOR', [1, 1024], 'float32'], ['TENSOR', [1000, 1024], 'float32']])).toBe(key);
    expect(workloadKey('dense.webgpu', args)).not.toBe(key);
    expect(workloadKey('dense.wasm', [['TENSOR', [2, 1024], 'float32'], args[1]])).not.toBe(key);
    expect(workloadKey('dense.wasm', [['TENSOR', [1, 1024], 'int32'], args[1]])).not.toBe(key);
    expect(JSON.parse(key)).toEqual(['dense.wasm', args]);
  });
});

describe('tophubDir', () => {
  it('finds the shipped logs folder (with its wasm log) when run from the sources', () => {
    const dir = tophubDir();
    expect(dir).toBeDefined();
    expect(existsSync(join(dir!, 'wasm.jsonl'))).toBe(true);
  });
});
