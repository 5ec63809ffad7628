// bench/layernorm_pow_onnx.ts — writes the decomposed LayerNorm that older PyTorch/TF exporters emit (never a test):
// ReduceMean, Sub, Pow(·, 2), ReduceMean, Add eps, Sqrt, Div, Mul γ, Add β over the last axis of x [rows, cols]
// (default [128, 768], BERT-base's hidden size), γ and β seeded initializers, opset 13; for bench/model_ab.ts after
// `tensortune build`. The exponent is a shape-[] initializer unless --exponent-shape 1 (a [1] one, as some exporters write).
// Run: npx tsx bench/layernorm_pow_onnx.ts <out.onnx> [--rows 128] [--cols 768] [--exponent-shape 1]

import { writeFileSync } from 'node:fs';
import { benchArgs, intArg, usageError } from './bench_args.js';
import { decomposedLayerNorm } from '../tests/relay/models/layernorm_pow.js';
import { rng, weights } from '../tests/relay/models/onnx_builder.js';

const SCRIPT = 'bench/layernorm_pow_onnx.ts';
const { values: opt, positionals } = benchArgs({
  script: SCRIPT,
  about: 'Write the decomposed LayerNorm (Pow 2) ONNX model.',
  positionals: [{ name: 'out', help: 'the .onnx file to write' }],
  options: { rows: { type: 'string', default: '128' }, cols: { type: 'string', default: '768' }, 'exponent-shape': { type: 'string', default: '' } },
  help: { rows: 'rows of x', cols: 'columns of x (normalized)', 'exponent-shape': "'' (scalar) or 1" },
});
const out = positionals[0];
if (out === undefined) usageError(SCRIPT, 'give the .onnx file to write');
const [R, C] = [intArg(SCRIPT, 'rows', opt.rows), intArg(SCRIPT, 'cols', opt.cols)];
const r = rng(3);
const bytes = decomposedLayerNorm(R, C, weights(r, [C], 1), weights(r, [C], 1), opt['exponent-shape'] === '1' ? [1] : []);
writeFileSync(out, bytes);
console.log(`${out}: decomposed LayerNorm [${R}, ${C}], ${bytes.length} bytes`);
