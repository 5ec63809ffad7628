// tests/relay/printer.test.ts — the text form (TVM's astext layout) and TENSORTUNE_DEBUG=relay
// printing the module after each pass of a sequence.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, constant, func, irModule, scalar, variable } from '../../relay/nodes.js';
import { astext } from '../../relay/printer.js';
import { FoldConstant } from '../../relay/transform/fold_constant.js';
import { FuseOps } from '../../relay/transform/fuse_ops.js';
import { InferType } from '../../relay/transform/infer_type.js';
import { sequential } from '../../relay/transform/pass.js';
import { tensorType } from '../../relay/ty.js';

function model() {
  const x = variable('x', tensorType([1, 4]));
  const w = constant(new Float32Array(12), [3, 4]);
  return irModule(func([x], call('nn.relu', [call('add', [call('nn.dense', [x, w], {}, 'fc'), scalar(0.5)])])));
}

describe('relay printer', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('prints calls with attributes, constants and types as TVM does', () => {
    const text = astext(InferType.run(model()));
    expect(text).toBe([
      '#[version = "0.0.5"]',
      'def @main(%x: Tensor[(1, 4), float32]) -> Tensor[(1, 3), float32] {',
      '  %0 = nn.dense(%x, meta[relay.Constant][0]) /* ty=Tensor[(1, 3), float32] */ /* fc */;',
      '  %1 = add(%0, 0.5f) /* ty=Tensor[(1, 3), float32] */;',
      '  %2 = nn.relu(%1) /* ty=Tensor[(1, 3), float32] */;',
      '  %2',
      '}',
    ].join('\n'));
  });

  it('prints fused functions before their calls', () => {
    const text = astext(FuseOps.run(model()));
    expect(text).toMatch(/%0 = fn \(%p0: Tensor\[\(1, 4\), float32\], %p1: Tensor\[\(3, 4\), float32\], Primitive=1\) -> Tensor\[\(1, 3\), float32\] \{/);
    expect(text).toMatch(/%4 = %0\(%x, meta\[relay.Constant\]\[0\]\)/);
  });

  it('prints the module after each pass under TENSORTUNE_DEBUG=relay', () => {
    vi.stubEnv('TENSORTUNE_DEBUG', 'relay');
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      lines.push(String(s));
      return true;
    });
    sequential([InferType, FoldConstant, FuseOps], model());
    const out = lines.join('');
    expect(out).toContain('// relay: after InferType\n#[version');
    expect(out).toContain('// relay: after FoldConstant: unchanged');
    expect(out).toMatch(/\/\/ relay: after FuseOps\n[^]*Primitive=1/);
  });
});
