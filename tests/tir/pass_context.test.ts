// tests/tir/pass_context.test.ts — TVM-style PassContext (tir/pass_context.ts): config defaults and
// refusals, disabled passes and user passes by phase as runPasses / loweringPasses read them, and
// the scoping of withPassContext (nested, restored after a throw, held across an await and
// released when the promise settles, either way).

import { describe, expect, it } from 'vitest';
import * as T from '../../tir/nodes.js';
import { currentPassContext, DEFAULT_PASS_CONFIG, PassContext, withPassContext, type Pass } from '../../tir/pass_context.js';
import { LOWERING_PASSES, loweringPasses, runPasses } from '../../tir/pipeline.js';

const probe = (name: string, log: string[]): Pass => ({ name, run: (f) => { log.push(name); return f; } });
const fn = (): T.PrimFunc => {
  const A = T.buffer('A', [4], 'float32');
  const i = T.variable('i');
  return T.primFunc('f', [A], T.forLoop(i, 0, 4, 'serial', T.bufferStore(A, T.floatImm(1), [i])));
};

describe('PassContext', () => {
  it('has TVM-like defaults and takes partial configs', () => {
    expect(DEFAULT_PASS_CONFIG).toEqual({ maxUnroll: 64, verify: true });
    const c = new PassContext();
    expect(c.config).toEqual({ maxUnroll: 64, verify: true });
    expect([...c.disabledPasses]).toEqual([]);
    expect(c.userPasses).toEqual([]);
    expect(new PassContext({ config: { maxUnroll: 0 } }).config).toEqual({ maxUnroll: 0, verify: true });
    expect(new PassContext({ config: { verify: false } }).config.maxUnroll).toBe(64);
    expect(Object.isFrozen(new PassContext().config)).toBe(true);
  });

  it('refuses unknown options, a bad maxUnroll, a bad phase and a pass without run', () => {
    expect(() => new PassContext({ config: { unroll: 1 } as never })).toThrow("PassContext: unknown config option 'unroll' (known: maxUnroll, verify)");
    expect(() => new PassContext({ config: { maxUnroll: 1.5 } })).toThrow('PassContext: config maxUnroll=1.5 must be a non-negative integer');
    expect(() => new PassContext({ config: { maxUnroll: -1 } })).toThrow('maxUnroll=-1');
    expect(() => new PassContext({ passes: [{ phase: 4 as never, pass: probe('p', []) }] })).toThrow('PassContext: user pass p: phase 4 is not 0, 1, 2 or 3');
    expect(() => new PassContext({ passes: [{ phase: 1, pass: { name: 'q' } as never }] })).toThrow('PassContext: user pass q has no run function');
  });

  it('gives the user passes of one phase in the order given', () => {
    const log: string[] = [];
    const [a, b, c] = [probe('a', log), probe('b', log), probe('c', log)];
    const ctx = new PassContext({ passes: [{ phase: 2, pass: a }, { phase: 0, pass: b }, { phase: 2, pass: c }] });
    expect(ctx.passesAt(2)).toEqual([a, c]);
    expect(ctx.passesAt(0)).toEqual([b]);
    expect(ctx.passesAt(3)).toEqual([]);
    const names = loweringPasses(ctx).map((p) => p.name);
    expect(names.filter((n) => !n.startsWith('tir.'))).toEqual(['b', 'a', 'c']);
    expect(names.indexOf('b')).toBe(0);
    expect(names.indexOf('a')).toBe(names.indexOf('tir.unrollLoops') + 1);
    expect(loweringPasses(new PassContext()).map((p) => p.name)).toEqual(LOWERING_PASSES.map((p) => p.name));
  });

  it('runPasses skips disabled passes and reads the current context', () => {
    const log: string[] = [];
    const passes = [probe('x.one', log), probe('x.two', log), probe('x.three', log)];
    runPasses(fn(), passes, { ctx: new PassContext({ disabledPasses: ['x.two'] }) });
    expect(log).toEqual(['x.one', 'x.three']);
    log.length = 0;
    withPassContext({ disabledPasses: ['x.one', 'x.three'] }, () => runPasses(fn(), passes));
    expect(log).toEqual(['x.two']);
  });

  it('verify: false lets a pass return invalid IR; the default names the pass that broke it', () => {
    const breaks: Pass = { name: 'user.break', run: (f) => ({ ...f, body: T.bufferStore(f.params[0]!, T.floatImm(0), [T.variable('zz')]) }) };
    expect(() => runPasses(fn(), [breaks])).toThrow(/user\.break/);
    expect(() => withPassContext({ config: { verify: false } }, () => runPasses(fn(), [breaks]))).not.toThrow();
  });
});

describe('withPassContext', () => {
  it('nests, and restores the outer context after the inner returns or throws', () => {
    const base = currentPassContext();
    expect(base.config.maxUnroll).toBe(64);
    const outer = new PassContext({ config: { maxUnroll: 8 } });
    withPassContext(outer, () => {
      expect(currentPassContext()).toBe(outer);
      const r = withPassContext({ config: { maxUnroll: 2 } }, () => currentPassContext().config.maxUnroll);
      expect(r).toBe(2);
      expect(currentPassContext()).toBe(outer);
      expect(() => withPassContext({ config: { maxUnroll: 3 } }, () => { throw new Error('boom'); })).toThrow('boom');
      expect(currentPassContext()).toBe(outer);
    });
    expect(currentPassContext()).toBe(base);
  });

  it('holds the context across an await and releases it when the promise settles, resolved or rejected', async () => {
    const base = currentPassContext();
    const seen = await withPassContext({ config: { maxUnroll: 5 } }, async () => {
      await Promise.resolve();
      return currentPassContext().config.maxUnroll;
    });
    expect(seen).toBe(5);
    expect(currentPassContext()).toBe(base);
    await expect(withPassContext({ config: { maxUnroll: 6 } }, async () => {
      await Promise.resolve();
      throw new Error('later');
    })).rejects.toThrow('later');
    expect(currentPassContext()).toBe(base);
  });

  it('releases the right context when async scopes end out of order', async () => {
    const base = currentPassContext();
    let releaseB!: () => void;
    const gateB = new Promise<void>((r) => { releaseB = r; });
    const a = new PassContext({ config: { maxUnroll: 11 } });
    const b = new PassContext({ config: { maxUnroll: 12 } });
    const pa = withPassContext(a, async () => { await Promise.resolve(); });
    const pb = withPassContext(b, async () => { await gateB; });
    await pa; // a (the outer one) ends first, while b is still open: b stays current
    expect(currentPassContext()).toBe(b);
    releaseB();
    await pb;
    expect(currentPassContext()).toBe(base);
  });
});
