// examples/browser/main.js — the example page: pick a bundle (wasm or WebGPU build), an image or a seeded
// random input, run it with the runtime-only entry, show outputs, latency, backend and threads.
// Also exposes window.tensortuneDemo.run(...) for scripts and the headless-Chromium test.

import * as rt from '/tensortune-runtime.js';

const $ = (id) => document.getElementById(id);
const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
// Timing of the Run button: `?repeat=N&min_repeat_ms=M` in the page URL (defaults 10 and 10). A
// scripted check of the page (or a slow, shared machine) can ask for one short measurement.
const params = new URLSearchParams(location.search);
const PAGE_REPEAT = Math.max(1, Number.parseInt(params.get('repeat') ?? '10', 10) || 10);
const PAGE_MIN_REPEAT_MS = Math.max(0, Number(params.get('min_repeat_ms') ?? '10') || 0);

/** Bundles listed by `tensortune serve` ({ url, name, target, inputs, outputs }). */
let bundles = [];
const loaded = new Map();

async function loadOnce(url) {
  if (!loaded.has(url)) loaded.set(url, rt.loadBundle(url));
  return loaded.get(url);
}

/** The image drawn at the input's H×W, as N×C×H×W floats, normalized as ImageNet models expect. */
async function imageTensor(file, info) {
  const [n, c, h, w] = info.shape;
  if (info.shape.length !== 4 || (c !== 3 && c !== 1) || info.dtype !== 'float32') {
    throw new Error(`input '${info.name}' [${info.shape.join(', ')}] ${info.dtype} is not an N×C×H×W image (C = 3 or 1): use a random input`);
  }
  const bitmap = await createImageBitmap(file);
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0, w, h);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const data = new Float32Array(n * c * h * w);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < h * w; i++) {
        const v = c === 3 ? rgba[i * 4 + ch] / 255 : (rgba[i * 4] + rgba[i * 4 + 1] + rgba[i * 4 + 2]) / 765;
        data[((b * c + ch) * h * w) + i] = c === 3 ? (v - IMAGENET_MEAN[ch]) / IMAGENET_STD[ch] : v;
      }
    }
  }
  return { data, shape: info.shape, dtype: 'float32' };
}

/** What the page ran on: backend, threads, isolation, adapter. */
async function environment(target) {
  const t = rt.parseTarget(target);
  const env = { backend: t.kind, target: t.str, crossOriginIsolated: globalThis.crossOriginIsolated === true };
  if (t.kind === 'wasm') {
    env.threads = rt.wasmOptions(t).threads;
    env.simd = rt.wasmOptions(t).simd;
  } else {
    const adapter = await navigator.gpu?.requestAdapter();
    env.adapter = adapter ? `${adapter.info?.vendor ?? ''} ${adapter.info?.architecture ?? ''} ${adapter.info?.description ?? ''}`.trim() || 'unnamed adapter' : 'none';
  }
  return env;
}

/**
 * Runs bundle `index` once on a seeded random input (or `file`, an image), then times it
 * (median of `repeat` measurements, each at least `minRepeatMs` long, TVM's time evaluator). Resolves with outputs as plain arrays, latency and environment.
 */
async function run({ bundle = 0, seed = 0, file = null, repeat = PAGE_REPEAT, minRepeatMs = PAGE_MIN_REPEAT_MS } = {}) {
  const entry = bundles[bundle];
  if (!entry) throw new Error(`no bundle ${bundle} (the server lists ${bundles.length})`);
  const { manifest, executor } = await loadOnce(entry.url);
  const inputs = rt.randomInputs(manifest.inputs, seed);
  if (file) inputs.set(manifest.inputs[0].name, await imageTensor(file, manifest.inputs[0]));
  const feeds = Object.fromEntries([...inputs].map(([k, v]) => [k, v.data]));
  const outs = await executor.run(feeds);
  const outputs = outs.map((o, i) => ({ name: manifest.outputs[i].name, shape: [...o.shape], dtype: o.dtype, data: Array.from(o.toArray()) }));
  for (const o of outs) o.free();
  const timing = await executor.benchmark(feeds, { number: 1, repeat, minRepeatMs });
  return { outputs, latencyMs: timing.median * 1e3, repeat, ...(await environment(manifest.target)) };
}

function summary(o) {
  let min = Infinity; let max = -Infinity; let sum = 0;
  for (const v of o.data) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
  const top = o.data.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]).slice(0, 5);
  const f = (v) => Number(v.toPrecision(4));
  return `${o.name}: [${o.shape.join(', ')}] ${o.dtype}  min ${f(min)}  max ${f(max)}  mean ${f(sum / o.data.length)}\n` +
    `  top 5 (index: value): ${top.map(([v, i]) => `${i}: ${f(v)}`).join(', ')}\n  first: ${o.data.slice(0, 8).map(f).join(', ')}`;
}

function showEnv(r) {
  const rows = [
    ['backend', r.backend], ['target', r.target], ['latency', `${r.latencyMs.toFixed(3)} ms (median of ${r.repeat} measurement${r.repeat === 1 ? '' : 's'})`],
    ...(r.backend === 'wasm' ? [['threads', String(r.threads)], ['SIMD', String(r.simd)]] : [['adapter', r.adapter]]),
    ['cross-origin isolated', String(r.crossOriginIsolated)],
  ];
  $('env').replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr');
    for (const text of [k, v]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
}

async function onRun() {
  const button = $('run');
  button.disabled = true;
  $('output').className = '';
  $('output').textContent = 'running…';
  try {
    const useImage = document.querySelector('input[name=source]:checked').value === 'image';
    const file = useImage ? $('image').files[0] : null;
    if (useImage && !file) throw new Error('choose an image file first');
    const r = await run({ bundle: Number($('bundle').value), seed: Number($('seed').value) || 0, file });
    showEnv(r);
    $('output').textContent = r.outputs.map(summary).join('\n');
  } catch (e) {
    $('output').className = 'error';
    $('output').textContent = String(e?.message ?? e);
  } finally {
    button.disabled = false;
  }
}

async function init() {
  bundles = await (await fetch('/bundles.json')).json();
  $('bundle').replaceChildren(...bundles.map((b, i) => Object.assign(document.createElement('option'), { value: String(i), textContent: `${b.name} — ${b.target}` })));
  const info = () => {
    const b = bundles[Number($('bundle').value)];
    $('bundle-info').textContent = b ? `inputs: ${b.inputs.map((x) => `${x.name} [${x.shape.join(', ')}] ${x.dtype}`).join('; ')} · outputs: ${b.outputs.map((x) => `${x.name} [${x.shape.join(', ')}]`).join('; ')}` : 'no bundle served';
  };
  $('bundle').addEventListener('change', info);
  info();
  $('run').addEventListener('click', onRun);
  $('run').disabled = bundles.length === 0;
}

const ready = init();
window.tensortuneDemo = { ready, run, get bundles() { return bundles; } };
