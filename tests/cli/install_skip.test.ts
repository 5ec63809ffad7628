// tests/cli/install_skip.test.ts — installing never downloads onnxruntime-node's CUDA binaries, and no
// npm command warns about an unknown project config: the skip is the ONNXRUNTIME_NODE_INSTALL variable
// (set by scripts/setup.sh and .ci/run before npm ci), not an .npmrc key npm rejects.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run_cli.js';

const run = promisify(execFile);

describe('onnxruntime-node install skip', () => {
  it('is set by setup.sh and .ci/run before npm ci runs, and no .npmrc carries the unknown key', () => {
    const setup = readFileSync(join(ROOT, 'scripts/setup.sh'), 'utf8');
    const exportAt = setup.indexOf('export ONNXRUNTIME_NODE_INSTALL=skip');
    expect(exportAt).toBeGreaterThan(-1);
    expect(setup.indexOf('npm ci')).toBeGreaterThan(exportAt);
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci.indexOf('export ONNXRUNTIME_NODE_INSTALL=skip')).toBeGreaterThan(-1);
    expect(ci.indexOf('export ONNXRUNTIME_NODE_INSTALL=skip')).toBeLessThan(ci.indexOf('scripts/setup.sh'));
    const npmrc = join(ROOT, '.npmrc');
    if (existsSync(npmrc)) expect(readFileSync(npmrc, 'utf8')).not.toMatch(/onnxruntime-node-install/);
  });

  it('is the variable onnxruntime-node\'s own install script obeys: it exits at once, before any download', async () => {
    // The installed package's postinstall, run as npm would run it for a dependency, with the variable
    // and a proxy that refuses every connection: any download attempt would fail the script.
    const pkg = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json', { paths: [ROOT] }));
    const script = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).scripts.postinstall as string;
    expect(script).toBe('node ./script/install');
    const env = {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ONNXRUNTIME_NODE_INSTALL: 'skip',
      npm_config_local_prefix: ROOT, npm_package_json: join(pkg, 'package.json'),
      https_proxy: 'http://127.0.0.1:9', GLOBAL_AGENT_HTTPS_PROXY: 'http://127.0.0.1:9',
    };
    const r = await run(process.execPath, ['./script/install'], { cwd: pkg, env, timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
  });
});
