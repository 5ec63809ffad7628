// tests/cli/tune_command.test.ts — `tune`/`build` option checking and the help text, without tuning.

import { describe, expect, it } from 'vitest';
import { buildArgs } from '../../cli/build_args.js';
import { UsageError } from '../../cli/errors.js';
import { tuneArgs } from '../../cli/tune_args.js';
import { runCli } from './run_cli.js';

const base = {
  op: 'dense', shape: '1,1024,1000', target: 'wasm  -threads=2', trials: '500', tuner: 'xgb', featureType: 'itervar', log: 'd.jsonl', seed: '0',
  number: '4', repeat: '3', minRepeatMs: '50', timeout: '10',
};

describe('tune options', () => {
  it('converts and canonicalizes the options', () => {
    const a = tuneArgs({ ...base, earlyStopping: '200', resume: true, batch: '4' });
    expect(a).toMatchObject({ target: 'wasm -threads=2', trials: 500, tuner: 'xgb', earlyStopping: 200, resume: true, batch: 4, timeout: 10 });
    expect(tuneArgs(base).earlyStopping).toBeUndefined();
    expect(tuneArgs(base).timer).toBe('wall');
    expect(tuneArgs({ ...base, target: 'wasm -threads=1', timer: 'process-cpu' }).timer).toBe('process-cpu');
    expect(tuneArgs({ ...base, target: 'webgpu -device=llvmpipe', timer: 'process-cpu' }).timer).toBe('process-cpu');
    expect(tuneArgs({ ...base, target: 'webgpu', timer: 'process-cpu' }).timer).toBe('process-cpu');
  });

  it.each([
    [{ trials: '0' }, "--trials '0'"],
    [{ tuner: 'anneal' }, "--tuner 'anneal': expected one of xgb, ga, random, grid"],
    [{ target: 'cuda' }, "--target: target 'cuda': unknown kind"],
    [{ timeout: '-1' }, "--timeout '-1'"],
    [{ log: '/no/such/folder/d.jsonl' }, "--log '/no/such/folder/d.jsonl': folder '/no/such/folder' does not exist"],
    [{ featureType: 'pixels' }, "--feature-type 'pixels': expected one of itervar, itervar-flat, knob, curve"],
    [{ earlyStopping: 'soon' }, "--early-stopping 'soon'"],
    [{ timer: 'cpu' }, "--timer 'cpu': expected one of wall, process-cpu"],
    [{ timer: 'process-cpu' }, "--timer process-cpu: only for targets 'wasm -threads=1' and 'webgpu' on lavapipe (-device=llvmpipe); 'wasm -threads=2': more than one thread"],
    [{ timer: 'process-cpu', target: 'webgpu -device=nvidia' }, "'webgpu -device=nvidia': a GPU's work is not this process's CPU time"],
    [{ warmStart: ',' }, "--warm-start ',': expected 'default' and/or tuning logs"],
    [{ warmStart: 'default,/no/such/old.jsonl' }, "--warm-start: log '/no/such/old.jsonl' does not exist"],
    [{ planSize: '0' }, "--plan-size '0'"],
    [{ mutationShare: '1.5' }, "--mutation-share '1.5': expected a number from 0 to 1"],
    [{ mutationShare: '' }, "--mutation-share '': expected a number from 0 to 1"],
  ])('rejects %j naming the option', (bad, message) => {
    expect(() => tuneArgs({ ...base, ...bad })).toThrow(UsageError);
    expect(() => tuneArgs({ ...base, ...bad })).toThrow(message);
  });

  it('reads --warm-start, --plan-size and --mutation-share', () => {
    expect(tuneArgs({ ...base, warmStart: 'default', planSize: '4', mutationShare: '0.5' })).toMatchObject({
      warmStart: { default: true, logs: [] }, planSize: 4, mutationShare: 0.5,
    });
    expect(tuneArgs({ ...base, warmStart: 'package.json' }).warmStart).toEqual({ default: false, logs: ['package.json'] });
    expect(tuneArgs(base).warmStart).toBeUndefined();
  });

  it('build refuses a log file that does not exist', () => {
    expect(() => buildArgs({ op: 'dense', shape: '1,2,3', target: 'wasm', log: ['/no/such/log.jsonl'] })).toThrow("log file '/no/such/log.jsonl' does not exist");
  });

  it('prints help with examples and the shapes per op, exit 0; bad usage exits 2', async () => {
    const h = await runCli(['tune', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/tensortune tune --op dense --shape 1,1024,1000 --target wasm --trials 500/);
    expect(h.stdout).toMatch(/dense +Y\[M,N\] = X\[M,K\] · W\[N,K\]ᵀ.*\n +--shape M,K,N /);
    expect(h.stdout).toMatch(/conv2d +NCHW data.*\n +--shape N=1,C,H,W,O,kernel,stride=1,pad=0,dilation=1,groups=1\n/);
    expect(h.stdout).toMatch(/tensortune tune --workload C6 --op conv2d_winograd/);
    const bad = await runCli(['tune', '--op', 'dense', '--shape', '1,2', '--log', 'x.jsonl', '--tuner', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tuner/);
    const missing = await runCli(['tune', '--op', 'dense', '--shape', '1,2,3']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '-o, --output <file>' \(or --log <file>\) not specified/);
  });
});
