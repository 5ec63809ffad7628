import { te, tir, ops } from '../index.js';
const [C, H, W, O] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const X = te.placeholder([1, C, H, W], 'float32', 'X');
const Wt = te.placeholder([C, O, 2, 2], 'float32', 'W');
const Y = ops.conv2dTranspose(X, Wt, { strides: 2 });
const s = ops.defaultSchedule([Y], 'wasm -threads=1');
const f = te.lower(s, [X, Wt, Y], { name: 'ct' });
console.log(tir.print(f));
