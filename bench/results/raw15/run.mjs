import { readFileSync } from 'node:fs';
const bytes = readFileSync(process.argv[2]);
const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
const inst = await WebAssembly.instantiate(bytes, { env: { memory, parallel_for: () => {} } });
const e = inst.instance.exports;
console.log(Object.keys(e));
const f = e.main;
for (let i = 0; i < 3000; i++) f(0, 1024*64, 1024*64 + 8192, 1024*64+8192+4100*4096);
