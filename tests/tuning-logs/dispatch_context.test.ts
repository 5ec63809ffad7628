// tests/tuning-logs/dispatch_context.test.ts — the dispatch-context stack removes only the context
// it pushed: a context already gone (popped twice by its remover) never takes an outer one with it
// (found by mutation testing, fresh sample seed 52: `splice(-1, 1)` dropped the outer context).

import { describe, expect, it } from 'vitest';
import { currentDispatchContext, pushDispatchContext, withDispatchContext, type DispatchContext } from '../../tuning-logs/dispatch_context.js';

const ctx = (name: string): DispatchContext => ({ query: () => ({ config: { index: name.length, code_hash: null, entity: [] }, note: name }) });

describe('dispatch context stack', () => {
  it('withDispatchContext leaves the outer context when its own was already removed inside', async () => {
    const outer = ctx('outer');
    const inner = ctx('inner');
    const popOuter = pushDispatchContext(outer);
    try {
      await withDispatchContext(inner, () => {
        expect(currentDispatchContext()).toBe(inner);
        const pop = pushDispatchContext(inner);
        pop();
        pop(); // removes the context withDispatchContext pushed
        expect(currentDispatchContext()).toBe(outer);
      });
      expect(currentDispatchContext()).toBe(outer);
    } finally {
      popOuter();
    }
    expect(currentDispatchContext()).toBeUndefined();
  });

  it('a remover called twice removes its context once and nothing else', () => {
    const a = ctx('a');
    const b = ctx('b');
    const popA = pushDispatchContext(a);
    const popB = pushDispatchContext(b);
    popB();
    popB();
    expect(currentDispatchContext()).toBe(a);
    popA();
    expect(currentDispatchContext()).toBeUndefined();
  });
});
