// tests/tir/pass_context_stack.test.ts — withPassContext leaves the context stack as it found it:
// after the outermost `with` (sync, thrown, or async) the current context is the default again,
// and of two overlapping async contexts the one that settles first is removed, not the other.
// The fresh seed-1101 sample found `if (i >= 0)` → `i > 0` (the outermost context never popped)
// unchecked (pass_context.ts:91).

import { describe, expect, it } from 'vitest';
import { currentPassContext, DEFAULT_PASS_CONFIG, withPassContext } from '../../tir/pass_context.js';

describe('withPassContext: the stack', () => {
  it('sync and thrown: the default context is current again afterwards', () => {
    withPassContext({ config: { maxUnroll: 3 } }, () => expect(currentPassContext().config.maxUnroll).toBe(3));
    expect(currentPassContext().config.maxUnroll).toBe(DEFAULT_PASS_CONFIG.maxUnroll);
    expect(() => withPassContext({ config: { maxUnroll: 5 } }, () => { throw new Error('boom'); })).toThrow('boom');
    expect(currentPassContext().config.maxUnroll).toBe(DEFAULT_PASS_CONFIG.maxUnroll);
  });

  it('two overlapping async contexts: the first to settle is the one removed', async () => {
    let releaseA!: () => void;
    let releaseB!: () => void;
    const a = withPassContext({ config: { maxUnroll: 7 } }, () => new Promise<void>((r) => { releaseA = r; }));
    const b = withPassContext({ config: { maxUnroll: 9 } }, () => new Promise<void>((r) => { releaseB = r; }));
    expect(currentPassContext().config.maxUnroll).toBe(9);
    releaseA();
    await a;
    expect(currentPassContext().config.maxUnroll).toBe(9);
    releaseB();
    await b;
    expect(currentPassContext().config.maxUnroll).toBe(DEFAULT_PASS_CONFIG.maxUnroll);
  });
});
