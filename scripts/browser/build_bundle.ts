// scripts/browser/build_bundle.ts — command line: writes the browser bundle of tensortune
// (`npx tsx scripts/browser/build_bundle.ts [outfile] [--minify]`, default dist/browser/tensortune.js).

import { resolve } from 'node:path';
import { bundleForBrowser, REPO_ROOT } from './bundle.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a.startsWith('-') && a !== '--minify');
if (unknown.length > 0 || args.filter((a) => !a.startsWith('-')).length > 1) {
  process.stderr.write(`usage: tsx scripts/browser/build_bundle.ts [outfile] [--minify] (unknown: ${unknown.join(' ') || 'extra outfile'})\n`);
  process.exit(2);
}
const outfile = resolve(args.find((a) => !a.startsWith('-')) ?? resolve(REPO_ROOT, 'dist', 'browser', 'tensortune.js'));
const result = await bundleForBrowser({ outfile, minify: args.includes('--minify') });
process.stdout.write(`${outfile}: ${(result.bytes / 1e6).toFixed(1)} MB; Node built-ins stubbed: ${result.stubbed.join(', ')}\n`);
