// tests/cli/layout_option.test.ts — the model layout flags: --layout auto|nchwc|nchw, --alter-op-layout
// (= nchwc), --no-alter-op-layout (= nchw), auto when none is given, contradictions refused by name; --winograd
// auto|on|off (tune also both).

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { layoutFlag, layoutFromOptions, layoutOptions, winogradFlag, winogradFromOptions } from '../../cli/layout_option.js';

function parse(argv: string[]): string {
  const c = layoutOptions(new Command('build').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }), 'build');
  c.parse(argv, { from: 'user' });
  return layoutFromOptions(c.opts());
}

describe('layout flags', () => {
  it('map to relay.build alterOpLayout modes', () => {
    expect(parse([])).toBe('auto');
    expect(parse(['--alter-op-layout'])).toBe('nchwc');
    expect(parse(['--no-alter-op-layout'])).toBe('nchw');
    expect(parse(['--layout', 'nchw'])).toBe('nchw');
    expect(parse(['--layout', 'auto'])).toBe('auto');
    expect(parse(['--layout', 'nchwc', '--alter-op-layout'])).toBe('nchwc');
  });

  it('refuse contradictions and unknown layouts', () => {
    expect(() => parse(['--layout', 'nchw', '--alter-op-layout'])).toThrow('--layout nchw contradicts --alter-op-layout (= --layout nchwc); give one of them');
    expect(() => parse(['--layout', 'auto', '--no-alter-op-layout'])).toThrow('--layout auto contradicts --no-alter-op-layout (= --layout nchw)');
    expect(() => parse(['--layout', 'nhwc'])).toThrow(/Allowed choices are auto, nchwc, nchw/);
  });

  it('--winograd maps to relay.build winograd; both (tune only) also lists the other candidate', () => {
    const win = (verb: 'tune' | 'build', argv: string[]) => {
      const c = layoutOptions(new Command(verb).exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }), verb);
      c.parse(argv, { from: 'user' });
      return winogradFromOptions(c.opts());
    };
    expect(win('build', [])).toEqual({ winograd: 'auto', bothCandidates: false });
    expect(win('build', ['--winograd', 'off'])).toEqual({ winograd: false, bothCandidates: false });
    expect(win('build', ['--winograd', 'on'])).toEqual({ winograd: true, bothCandidates: false });
    expect(win('tune', ['--winograd', 'both'])).toEqual({ winograd: 'auto', bothCandidates: true });
    expect(() => win('build', ['--winograd', 'both'])).toThrow(/Allowed choices are auto, on, off/);
    expect(winogradFlag('auto')).toBe('');
    expect(winogradFlag(false)).toBe(' --winograd off');
  });

  it('print the flag that reproduces a mode', () => {
    expect(layoutFlag('auto')).toBe('');
    expect(layoutFlag('nchw')).toBe(' --layout nchw');
  });
});
