// ops/templates/webgpu_target.ts — what the WebGPU templates read from the current target (TVM's
// `Target.current()`): its subgroup size (`-subgroup-size`, the warp knobs) and whether its device
// (`-device`) takes the defaults that read their inputs in place instead of staging them in workgroup memory.

import { currentTarget } from '../../autotune/template.js';
import { webgpuOptions, type Target } from '../../target/index.js';

/**
 * The devices (`-device=`, as runtime/webgpu's `webgpuTargetString()` names the adapter: the first word of its
 * device name, lower case) whose subgroup-free defaults read in place: Mesa's lavapipe, whose device is `llvmpipe`.
 * It runs a workgroup's invocations as the lanes of one SIMD vector and turns every non-uniform load in a loop into
 * a per-lane scalar loop (gallivm's `emit_load_mem`), from workgroup memory as from global memory, so staging only
 * adds a copy and two barriers a step (docs/webgpu.md "Session 13"). Chromium's SwiftShader, also a CPU adapter,
 * ran those defaults 30× slower than the staged ones (the browser example, 4 s → over 120 s), and real GPUs are
 * not measured: every other device, and a target without `-device`, keeps the staged defaults. As TVM picks
 * schedules and TopHub packages by the target's device (`-device=mali`, `-device=arm_cpu`).
 */
export const IN_PLACE_DEVICES: readonly string[] = ['llvmpipe', 'lavapipe'];

/** The subgroup size of the current target (`-subgroup-size`), or undefined when it offers none (or is not webgpu). */
export function targetSubgroupSize(): number | undefined {
  const t = currentTarget();
  return t?.kind === 'webgpu' ? webgpuOptions(t).subgroupSize : undefined;
}

/**
 * Whether `target` (default: the current one) is a webgpu target whose `-device` is one of IN_PLACE_DEVICES; false
 * for other kinds, other devices and a target without `-device` (plain `webgpu`, which also means SwiftShader and GPUs).
 */
export function inPlaceDevice(target: Target | undefined = currentTarget()): boolean {
  if (target?.kind !== 'webgpu') return false;
  const device = webgpuOptions(target).device;
  return device !== undefined && IN_PLACE_DEVICES.includes(device.toLowerCase());
}
