// tests/codegen/wgsl/launch_config_extent.test.ts — launchConfig's refusal of thread-bound loops
// it cannot dispatch (a fresh mutation sample found the extent check unchecked): an extent of 0
// or below, and a non-constant extent, each named with the loop and its tag; extent 1 is fine.

import { describe, expect, it } from 'vitest';
import { launchConfig } from '../../../codegen/wgsl/launch_config.js';
import * as T from '../../../tir/nodes.js';

const bound = (name: string, tag: T.ThreadTag, extent: T.PrimExpr | number, body: T.Stmt = T.noOp()): T.Stmt =>
  T.forLoop(T.variable(name), 0, extent, 'threadBinding', body, { threadTag: tag });

describe('launchConfig refuses extents it cannot dispatch', () => {
  it('extent 0 or negative, on a thread or a block axis', () => {
    expect(() => launchConfig(bound('bx', 'blockIdx.x', 4, bound('tx', 'threadIdx.x', 0)))).toThrow('webgpu: loop tx bound to threadIdx.x has extent 0');
    expect(() => launchConfig(bound('bx', 'blockIdx.x', -2, bound('tx', 'threadIdx.x', 8)))).toThrow('webgpu: loop bx bound to blockIdx.x has extent -2');
  });

  it('a non-constant extent', () => {
    const n = T.variable('n');
    expect(() => launchConfig(bound('ty', 'threadIdx.y', n))).toThrow('webgpu: loop ty bound to threadIdx.y has a non-constant extent');
  });

  it('extent 1 is a workgroup of one', () => {
    const c = launchConfig(bound('bx', 'blockIdx.x', 1, bound('tx', 'threadIdx.x', 1)));
    expect(c.workgroupSize).toEqual([1, 1, 1]);
  });
});
