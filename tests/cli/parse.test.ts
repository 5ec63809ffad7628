// tests/cli/parse.test.ts — option parsing: shapes, integers, targets; errors name the option.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.js';
import { oneOf, parseIntOption, parseShape, parseTargetOption, requireFiles } from '../../cli/parse.js';

describe('option parsing', () => {
  it('reads shapes with commas or x', () => {
    expect(parseShape('1,1024,1000')).toEqual([1, 1024, 1000]);
    expect(parseShape('64x64x32')).toEqual([64, 64, 32]);
    expect(parseShape(' 8 , 8 ')).toEqual([8, 8]);
  });

  it.each(['', '1,,2', '1,a,3', '0,4', '-1,4', '1.5,2'])('rejects the shape %j with a usage error', (s) => {
    expect(() => parseShape(s)).toThrow(UsageError);
    expect(() => parseShape(s)).toThrow(/--shape/);
  });

  it('checks integers, targets and choices', () => {
    expect(parseIntOption('16', '--trials', 1)).toBe(16);
    expect(() => parseIntOption('0', '--trials', 1)).toThrow("--trials '0': expected an integer ≥ 1");
    expect(() => parseIntOption('3.5', '--seed')).toThrow(UsageError);
    expect(parseTargetOption('wasm   -threads=2')).toBe('wasm -threads=2');
    expect(() => parseTargetOption('cuda')).toThrow(/--target: target 'cuda': unknown kind/);
    expect(oneOf('ga', ['xgb', 'ga'] as const, '--tuner')).toBe('ga');
    expect(() => oneOf('sa', ['xgb', 'ga'] as const, '--tuner')).toThrow("--tuner 'sa': expected one of xgb, ga");
    expect(() => requireFiles(['/definitely/not/here.jsonl'])).toThrow("log file '/definitely/not/here.jsonl' does not exist");
  });
});
