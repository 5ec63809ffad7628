// tests/tuning-logs/record.test.ts — record layout: exact round trip, AutoTVM lines, field-naming errors.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRecord,
  encodeRecord,
  hostFingerprint,
  makeRecord,
  meanCost,
  recordWorkloadKey,
  toLogRecord,
  type LogRecord,
} from '../../tuning-logs/record.js';
import { workloadKey, type WorkloadArg } from '../../tuning-logs/workload_key.js';

// A line as TVM v0.19's autotvm.record.encode writes it (Python json.dumps spacing, 1e9 floats).
const AUTOTVM_LINE =
  '{"input": ["llvm -keys=cpu -mcpu=znver3", "dense_nopack.x86", [["TENSOR", [1, 1024], "float32"], ["TENSOR", [1000, 1024], "float32"], null, "float32"], {}], ' +
  '"config": {"index": 3187, "code_hash": null, "entity": [["tile_y", "sp", [-1, 1]], ["tile_x", "sp", [-1, 8]], ["tile_k", "sp", [-1, 16]], ["unroll_kw", "ot", true]]}, ' +
  '"result": [[0.000412, 0.000409, 0.000415], 0, 1.82, 1763942400.0], "version": 0.2, "tvm_version": "0.19.0"}';

const tensorArg = fc.tuple(fc.constant('TENSOR' as const), fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 4 }), fc.constantFrom('float32', 'int32'));
const workloadArg: fc.Arbitrary<WorkloadArg> = fc.oneof(tensorArg, fc.integer(), fc.string(), fc.boolean(), fc.constant(null));
const entity = fc.oneof(
  fc.tuple(fc.string({ minLength: 1 }), fc.constant('sp'), fc.array(fc.integer({ min: -1, max: 64 }), { minLength: 2, maxLength: 4 })),
  fc.tuple(fc.string({ minLength: 1 }), fc.constant('ot'), fc.oneof(fc.integer(), fc.boolean(), fc.string())),
  fc.tuple(fc.string({ minLength: 1 }), fc.constant('re'), fc.array(fc.nat(5))),
);
const record: fc.Arbitrary<LogRecord> = fc
  .record({
    target: fc.constantFrom('wasm', 'wasm -threads=2', 'webgpu -device=llvmpipe'),
    taskName: fc.string({ minLength: 1 }),
    args: fc.array(workloadArg, { maxLength: 4 }),
    index: fc.nat(),
    entity: fc.array(entity, { maxLength: 6 }),
    costs: fc.array(fc.double({ min: 1e-9, max: 10, noNaN: true }), { minLength: 1, maxLength: 5 }),
    errorNo: fc.constantFrom(0, 0, 0, 1, 4, 5, 7),
    allCost: fc.double({ min: 0, max: 1000, noNaN: true }),
    timestamp: fc.double({ min: 1.6e9, max: 1.9e9, noNaN: true }),
    withDevice: fc.boolean(),
  })
  .map((o) =>
    makeRecord({
      ...o,
      config: { index: o.index, code_hash: null, entity: o.entity },
      ...(o.withDevice ? { device: { cpu: 'Zen 4', cores: 2, v8: '11.3' } } : {}),
    }),
  );

describe('encodeRecord / decodeRecord', () => {
  it('round-trips every record exactly, both ways', () => {
    fc.assert(
      fc.property(record, (r) => {
        const line = encodeRecord(r);
        expect(line).not.toContain('\n');
        const back = decodeRecord(line);
        expect(back).toEqual(r);
        expect(encodeRecord(back)).toBe(line);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a line written by AutoTVM itself, keeping its target and args as they are', () => {
    const r = decodeRecord(AUTOTVM_LINE);
    expect(r.input[0]).toBe('llvm -keys=cpu -mcpu=znver3');
    expect(r.input[1]).toBe('dense_nopack.x86');
    expect(r.input[2]).toEqual([['TENSOR', [1, 1024], 'float32'], ['TENSOR', [1000, 1024], 'float32'], null, 'float32']);
    expect(r.config.index).toBe(3187);
    expect(r.config.entity[2]).toEqual(['tile_k', 'sp', [-1, 16]]);
    expect(r.result[0]).toEqual([0.000412, 0.000409, 0.000415]);
    expect(r.result[3]).toBe(1763942400);
    expect(r.tvm_version).toBe('0.19.0');
    expect(r.device).toBeUndefined();
    expect(meanCost(r)).toBeCloseTo(0.000412, 9);
    expect(recordWorkloadKey(r)).toBe(workloadKey('dense_nopack.x86', r.input[2]));
  });

  it('ignores unknown fields of other writers', () => {
    const obj = JSON.parse(AUTOTVM_LINE) as Record<string, unknown>;
    obj.extra = { anything: 1 };
    expect(Object.keys(decodeRecord(JSON.stringify(obj)))).not.toContain('extra');
  });

  it.each([
    ['input', (o: Record<string, unknown>) => { o.input = ['wasm', 'x']; }],
    ['input[1] (task name)', (o: Record<string, unknown>) => { (o.input as unknown[])[1] = 7; }],
    ['input[2][0] (args)', (o: Record<string, unknown>) => { (o.input as unknown[])[2] = [['TENSOR', [1.5], 'float32']]; }],
    ['config.index', (o: Record<string, unknown>) => { (o.config as Record<string, unknown>).index = -3; }],
    ['config.entity[1]', (o: Record<string, unknown>) => { ((o.config as Record<string, unknown>).entity as unknown[])[1] = ['tile_x', 3]; }],
    ['result[0] (costs)', (o: Record<string, unknown>) => { (o.result as unknown[])[0] = ['oops']; }],
    ['result[1] (error number)', (o: Record<string, unknown>) => { (o.result as unknown[])[1] = 'x'; }],
    ['result[3] (timestamp)', (o: Record<string, unknown>) => { (o.result as unknown[])[3] = null; }],
    ['version', (o: Record<string, unknown>) => { delete o.version; }],
    ['device.gpu', (o: Record<string, unknown>) => { o.device = { gpu: { nested: true } }; }],
  ])('names the field %s when it is wrong', (field, corrupt) => {
    const obj = JSON.parse(AUTOTVM_LINE) as Record<string, unknown>;
    corrupt(obj);
    expect(() => decodeRecord(JSON.stringify(obj))).toThrow(`field ${field}:`);
  });

  it('says what a device field must hold (found by mutation testing, seed 55)', () => {
    const obj = JSON.parse(AUTOTVM_LINE) as Record<string, unknown>;
    obj.device = { cpu: 'Zen 4', gpu: { nested: true } };
    expect(() => decodeRecord(JSON.stringify(obj))).toThrow('field device.gpu: expected a string, number or boolean, got {"nested":true}');
    obj.device = ['Zen 4'];
    expect(() => decodeRecord(JSON.stringify(obj))).toThrow('field device: expected an object of strings, numbers and booleans, got ["Zen 4"]');
  });

  it('says when a line is not JSON at all', () => {
    expect(() => decodeRecord('{"input": [')).toThrow(/not valid JSON/);
  });
});

describe('makeRecord / toLogRecord', () => {
  it('writes AutoTVM\'s [1e9] costs for a failed measurement', () => {
    const r = makeRecord({ target: 'wasm', taskName: 'matmul.wasm', args: [], config: { index: 1, code_hash: null, entity: [] }, costs: [0.1], errorNo: 5, allCost: 1, timestamp: 1.7e9 });
    expect(r.result[0]).toEqual([1e9]);
    expect(meanCost(r)).toBe(Infinity);
  });

  it('turns a measure input and result into a record, calling config.toData()', () => {
    const data = { index: 42, code_hash: null, entity: [['tile_y', 'sp', [-1, 4]] as const] };
    const r = toLogRecord(
      { task: { name: 'matmul.wasm', args: [['TENSOR', [8, 8], 'float32']], target: 'wasm -threads=2' }, config: { toData: () => data } },
      { costs: [0.002, 0.004], errorNo: 0, allCost: 0.3, timestamp: 1763942400.5 },
      hostFingerprint({ simd: true }),
    );
    expect(r.input).toEqual(['wasm -threads=2', 'matmul.wasm', [['TENSOR', [8, 8], 'float32']], {}]);
    expect(r.config).toEqual(data);
    expect(meanCost(r)).toBeCloseTo(0.003, 12);
    expect(r.device?.simd).toBe(true);
    expect(typeof r.device?.v8).toBe('string');
    expect(r.device?.cores).toBeGreaterThan(0);
  });

  it('refuses a successful record without costs', () => {
    expect(() => makeRecord({ target: 'wasm', taskName: 't', args: [], config: { index: 0, code_hash: null, entity: [] }, costs: [], errorNo: 0, allCost: 0, timestamp: 0 })).toThrow(/result\[0\] \(costs\)/);
  });
});
