// tests/ops/webgpu_target.test.ts — which targets' devices take the in-place WebGPU defaults (inPlaceDevice): lavapipe's
// `-device=llvmpipe` (what webgpuTargetString() gives there) and `lavapipe`, in any case; never plain `webgpu`, another
// device (SwiftShader, a GPU) or another kind.

import { describe, expect, it } from 'vitest';
import { withTarget } from '../../autotune/template.js';
import { inPlaceDevice, IN_PLACE_DEVICES } from '../../ops/templates/webgpu_target.js';
import { parseTarget } from '../../target/index.js';

describe('inPlaceDevice', () => {
  it('is true for lavapipe device names only', () => {
    expect(IN_PLACE_DEVICES).toContain('llvmpipe');
    for (const t of ['webgpu -device=llvmpipe', 'webgpu -device=lavapipe', 'webgpu -device=LLVMpipe', 'webgpu -device=llvmpipe -subgroup-size=8']) expect(inPlaceDevice(parseTarget(t)), t).toBe(true);
    for (const t of ['webgpu', 'webgpu -device=swiftshader', 'webgpu -device=nvidia', 'webgpu -device=llvmpipe2', 'wasm']) expect(inPlaceDevice(parseTarget(t)), t).toBe(false);
    expect(inPlaceDevice(undefined)).toBe(false);
  });

  it('reads the current target (withTarget) when given none', () => {
    expect(inPlaceDevice()).toBe(false);
    expect(withTarget(parseTarget('webgpu -device=llvmpipe'), () => inPlaceDevice())).toBe(true);
    expect(withTarget(parseTarget('webgpu'), () => inPlaceDevice())).toBe(false);
  });
});
