// tests/autotune/local_builder.test.ts — a build worker that cannot start (a template module that
// throws) fails the whole batch at once with the reason, instead of retrying per candidate.

import { afterAll, describe, expect, it } from 'vitest';
import { localBuilder, MeasureErrorNo } from '../../autotune/measure/measure.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerTemplateModule } from '../../autotune/template.js';
import { registerAll } from '../../ops/register.js';

describe('localBuilder', () => {
  const builder = localBuilder({ timeout: 30, nParallel: 1 });
  afterAll(() => builder.close());

  it('reports a worker that cannot start on every candidate of the batch, quickly', async () => {
    registerAll();
    const task = createTask('matmul.wasm', [tensorArg([4, 4]), tensorArg([4, 4])], 'wasm');
    registerTemplateModule(new URL('./fixtures/broken_templates.ts', import.meta.url).href, 'registerBroken');
    const builds = await builder.build([0, 1, 2, 3].map((i) => ({ task, config: task.space.entityAt(i) })));
    for (const b of builds) {
      expect(b.errorNo).toBe(MeasureErrorNo.COMPILE_HOST);
      expect(b.errorMsg).toMatch(/worker failed to start: .*broken template module on purpose/s);
    }
    expect(builds.slice(1).every((b) => b.timeCost === 0)).toBe(true);
  });
});
