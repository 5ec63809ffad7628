// runtime/webgpu/device.ts — acquires the one shared WebGPU device (Dawn in Node, navigator.gpu in
// a browser; with `subgroups` where offered) and describes its adapter for module info, target strings and tuning records.

/** What the adapter says about itself; recorded in every module's `info`. */
export interface WebGPUAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A short device name for target strings: 'llvmpipe' for Mesa's lavapipe. */
  readonly deviceName: string;
  readonly timestampQuery: boolean;
  /** The adapter offers WGSL subgroups (the `subgroups` feature); the shared device is created with it then. */
  readonly subgroups: boolean;
  /**
   * The subgroup size when the adapter has subgroups of one fixed size (subgroupMinSize = subgroupMaxSize:
   * 8 on lavapipe's 256-bit llvmpipe), else undefined: what `-subgroup-size` of a target must say.
   */
  readonly subgroupSize: number | undefined;
}

/** The device with what it was created from; one per process, shared by all modules. */
export interface WebGPUContext {
  /** Kept referenced on purpose: Dawn tears itself down (and crashes pending work) once `create()`'s result is collected. */
  readonly gpu: GPU;
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly info: WebGPUAdapterInfo;
}

const NO_ADAPTER_HELP =
  'no WebGPU adapter found. On Debian/Ubuntu without a GPU install the software adapter with ' +
  '`bash scripts/install-webgpu-driver.sh` (Mesa 25 lavapipe; Mesa 22 is refused by Dawn); ' +
  'elsewhere install your GPU vendor\'s Vulkan/Metal/D3D12 driver. In a browser, use one with WebGPU enabled.';

const BROWSER_NO_ADAPTER_HELP =
  'no WebGPU adapter found: navigator.gpu.requestAdapter() returned none. Enable WebGPU in this browser ' +
  '(Chrome/Chromium on Linux: --enable-unsafe-webgpu or chrome://flags/#enable-unsafe-webgpu; without a GPU it then ' +
  'uses the SwiftShader software adapter), or use the wasm target.';

function inNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

let contextPromise: Promise<WebGPUContext> | undefined;

/** The GPU entry point: `navigator.gpu` in browsers, else the `webgpu` package (Dawn) in Node. */
async function gpuEntryPoint(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  // Dawn is a Node addon: a browser without navigator.gpu has no other way to WebGPU.
  if (!inNode()) {
    throw new Error('webgpu: navigator.gpu is missing: this browser has WebGPU disabled or unsupported, or the page ' +
      'is not a secure context (https or localhost). Use a browser with WebGPU enabled (Chrome/Edge 113+, or ' +
      '--enable-unsafe-webgpu), or the wasm target.');
  }
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (e) {
    throw new Error(`webgpu: cannot load the 'webgpu' package (Dawn for Node): ${(e as Error).message}. ${NO_ADAPTER_HELP}`);
  }
  // Dawn's GPUBufferUsage & co. must be globals for code written against the browser API.
  Object.assign(globalThis, mod.globals);
  // Dawn rounds timestamps to 64 µs by default (a browser anti-fingerprinting measure); a
  // tuner needs the real resolution. TENSORTUNE_WEBGPU_ADAPTER picks an adapter by name.
  const options = ['disable-dawn-features=timestamp_quantization'];
  const wanted = typeof process !== 'undefined' ? process.env['TENSORTUNE_WEBGPU_ADAPTER'] : undefined;
  if (wanted) options.push(`adapter=${wanted}`);
  return mod.create(options);
}

/** A target-friendly device name: the first word of the device or description, lower case. */
export function shortDeviceName(info: { device?: string; description?: string; architecture?: string; vendor?: string }): string {
  for (const s of [info.device, info.description, info.architecture, info.vendor]) {
    const m = /[A-Za-z0-9_]+/.exec(s ?? '');
    if (m) return m[0].toLowerCase();
  }
  return 'unknown';
}

export function describeAdapter(adapter: GPUAdapter): WebGPUAdapterInfo {
  const i = adapter.info;
  const raw = { vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '', description: i.description ?? '' };
  const subgroups = adapter.features.has('subgroups');
  const sizes = i as unknown as { subgroupMinSize?: number; subgroupMaxSize?: number };
  const fixed = subgroups && sizes.subgroupMinSize !== undefined && sizes.subgroupMinSize === sizes.subgroupMaxSize;
  return {
    ...raw, deviceName: shortDeviceName(raw), timestampQuery: adapter.features.has('timestamp-query'),
    subgroups, subgroupSize: fixed ? sizes.subgroupMinSize : undefined,
  };
}

/** Limits we raise to the adapter's maximum: big workgroups, shared memory and buffers help tuning. */
const RAISED_LIMITS = [
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ', 'maxComputeWorkgroupStorageSize', 'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize', 'maxBufferSize',
] as const;

async function createContext(): Promise<WebGPUContext> {
  const gpu = await gpuEntryPoint();
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    // Dawn throws (rather than returning null) when no backend or named adapter is usable.
    throw new Error(`webgpu: ${NO_ADAPTER_HELP} (Dawn: ${(e as Error).message.split('\n').join(' ')})`);
  }
  if (!adapter) throw new Error(`webgpu: ${inNode() ? NO_ADAPTER_HELP : BROWSER_NO_ADAPTER_HELP}`);
  const info = describeAdapter(adapter);
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const requiredFeatures: GPUFeatureName[] = [
    ...(info.timestampQuery ? ['timestamp-query' as const] : []),
    // Asking costs nothing where it is offered; a shader uses subgroups only for a -subgroup-size target.
    ...(info.subgroups ? ['subgroups' as GPUFeatureName] : []),
  ];
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  return { gpu, device, adapter, info };
}

/** The shared device; acquired on first use. Throws one clear error when there is no adapter. */
export function getWebGPUContext(): Promise<WebGPUContext> {
  if (!contextPromise) {
    const p = createContext();
    contextPromise = p;
    // A failed acquisition or a lost device (driver reset) must not poison later builds: forget
    // it so the next call re-acquires — unless a newer context has already replaced it.
    const forget = (): void => {
      if (contextPromise === p) contextPromise = undefined;
    };
    p.then((ctx) => ctx.device.lost.then(forget), forget);
  }
  return contextPromise;
}

/**
 * Destroys the shared device and drops our reference to Dawn (frees its memory and threads; tests
 * call it after each file). Resolves once the device reports itself lost, so modules built on it
 * already refuse to run ("device is gone"). The next use acquires a fresh device.
 */
export async function releaseWebGPU(): Promise<void> {
  const p = contextPromise;
  contextPromise = undefined;
  if (!p) return;
  const ctx = await p.catch(() => undefined);
  if (!ctx) return;
  ctx.device.destroy();
  // `lost` settles after destroy(); modules registered their handlers earlier, so theirs run first.
  await ctx.device.lost;
}

export async function getWebGPUDevice(): Promise<GPUDevice> {
  return (await getWebGPUContext()).device;
}

export async function getWebGPUAdapterInfo(): Promise<WebGPUAdapterInfo> {
  return (await getWebGPUContext()).info;
}

/**
 * The target string naming the adapter at hand: 'webgpu -device=llvmpipe'. With `{ subgroups: true }`
 * and an adapter of one fixed subgroup size, that size too: 'webgpu -device=llvmpipe -subgroup-size=8'
 * (templates then get their warp-memory knobs); without such subgroups the same string as without.
 */
export async function webgpuTargetString(opts: { subgroups?: boolean } = {}): Promise<string> {
  const info = await getWebGPUAdapterInfo();
  const sg = opts.subgroups === true && info.subgroupSize !== undefined ? ` -subgroup-size=${info.subgroupSize}` : '';
  return `webgpu -device=${info.deviceName}${sg}`;
}

/**
 * Runs `fn` under validation and out-of-memory error scopes and throws the first error they
 * caught, so a bad pipeline or buffer becomes an exception here rather than a console warning.
 */
export async function withErrorScopes<T>(device: GPUDevice, what: string, fn: () => T): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  let result: T;
  try {
    result = fn();
  } finally {
    const oom = await device.popErrorScope();
    const validation = await device.popErrorScope();
    const err = oom ?? validation;
    if (err) throw new Error(`webgpu: ${what} failed: ${err.message}`);
  }
  return result;
}
