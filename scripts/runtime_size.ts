// scripts/runtime_size.ts — prints the size of the runtime-only entry (`tensortune/runtime`) as
// the browser gets it: esbuild, ES2022, minified, and gzipped. `npx tsx scripts/runtime_size.ts`.

import { gzipSync } from 'node:zlib';
import { bundleRuntime } from '../cli/runtime_bundle.js';

const b = await bundleRuntime({ minify: true });
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
process.stdout.write(`runtime entry: ${kB(b.bytes)} minified, ${kB(gzipSync(b.code).length)} gzipped (${b.inputs.length} source files)\n`);
