// tests/schedule/stage_errors.test.ts — the Stage refusals that fresh mutation samples found
// unchecked by the tests that stage.ts is judged by: split's factor / nparts validation (every
// kind of bad value, each naming stage, axis and option), and computeAt's consumer check on a
// graph whose walk meets one op twice (a diamond), where the stage is not read.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';

describe('split refuses a factor or nparts that is not a positive integer', () => {
  const A = te.placeholder([12], 'float32', 'A');
  const C = te.compute([12], (i) => A.at(i).mul(2), 'C');
  for (const [by, what] of [
    [{ factor: 0 }, 'factor must be a positive integer, got 0'],
    [{ factor: -3 }, 'factor must be a positive integer, got -3'],
    [{ factor: 2.5 }, 'factor must be a positive integer, got 2.5'],
    [{ factor: Number.NaN }, 'factor must be a positive integer, got NaN'],
    [{ nparts: 0 }, 'nparts must be a positive integer, got 0'],
    [{ nparts: -1 }, 'nparts must be a positive integer, got -1'],
    [{ nparts: 1.5 }, 'nparts must be a positive integer, got 1.5'],
    [{ factor: undefined }, 'factor must be a positive integer, got undefined'],
    [{ nparts: undefined }, 'nparts must be a positive integer, got undefined'],
    [{ factor: '4' }, 'factor must be a positive integer, got "4"'],
    [{}, 'give exactly one of { factor } or { nparts }, got neither'],
    [{ factor: 2, nparts: 3 }, 'give exactly one of { factor } or { nparts }, got both'],
  ] as const) {
    it(`${JSON.stringify(by)}`, () => {
      const s = te.createSchedule([C]);
      const c = s.stage(C);
      expect(() => c.split(c.axis[0]!, by as never)).toThrow(`split: stage C, axis i: ${what}`);
      expect(c.leafIterVars.length).toBe(1); // nothing half-done
    });
  }

  it('factor 1 and nparts 1 are fine', () => {
    const s = te.createSchedule([C]);
    const c = s.stage(C);
    const [o, i] = c.split(c.axis[0]!, { factor: 1 });
    expect(c.leafIterVars).toEqual([o, i]);
    c.split(o!, { nparts: 1 });
    expect(c.leafIterVars.length).toBe(3);
  });
});

describe('computeAt needs a consumer, also when the consumer reads one op along two paths', () => {
  it('refuses a stage that the target does not read, and accepts one it reads through a diamond', () => {
    // A → B, A → C, (B, C) → E;  X → Y.  Outputs E and Y.
    const A0 = te.placeholder([8], 'float32', 'A0');
    const A = te.compute([8], (i) => A0.at(i).add(1), 'A');
    const B = te.compute([8], (i) => A.at(i).mul(2), 'B');
    const C = te.compute([8], (i) => A.at(i).sub(3), 'C');
    const E = te.compute([8], (i) => B.at(i).add(C.at(i)), 'E');
    const X = te.compute([8], (i) => A0.at(i).mul(5), 'X');
    const Y = te.compute([8], (i) => X.at(i).add(1), 'Y');
    const s = te.createSchedule([E, Y]);
    const e = s.stage(E);
    expect(() => s.stage(X).computeAt(e, e.axis[0]!)).toThrow('computeAt: stage X is not read by stage E; computeAt needs a consumer of the stage');
    s.stage(A).computeAt(e, e.axis[0]!); // read through both B and C
    expect(s.stage(A).attach).toMatchObject({ type: 'scope', stage: e });
  });
});
