#!/usr/bin/env node
// cli/main.ts — entry point of the `tensortune` command: runs the command line, sets the exit code.

import { runCli } from './program.js';

// `tensortune logs stats big.jsonl | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2));
