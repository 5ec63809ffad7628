// tests/relay/models/generate.ts — writes the test models as .onnx files (seeded, reproducible), for
// trying them with other tools: npx tsx tests/relay/models/generate.ts [out-dir] (default models/).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZOO } from './zoo.js';

const dir = process.argv[2] ?? 'models';
mkdirSync(dir, { recursive: true });
for (const make of Object.values(ZOO)) {
  const m = make();
  const file = join(dir, `${m.name}.onnx`);
  writeFileSync(file, m.bytes);
  const inputs = Object.entries(m.inputs).map(([k, s]) => `${k}:[${s.join(',')}]`).join(' ');
  console.log(`${file}  opset ${m.opset}  ${m.bytes.length} bytes  inputs ${inputs}`);
}
