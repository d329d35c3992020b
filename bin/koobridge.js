#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
// `koobridge serve` runs the service in this very process, so SIGTERM and SIGHUP reach it (npm
// start does not pass signals on reliably): the production start command, with `node dist/main.js`.
import { existsSync } from 'node:fs';

const [command] = process.argv.slice(2);
const entry = new URL(command === 'serve' ? '../dist/main.js' : '../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('koobridge: not built yet; run `npm run build` (npm install runs it too)');
  process.exit(1);
}
if (command === 'serve') {
  const { serve } = await import(entry.href);
  await serve(process.env);
} else {
  const { runCli } = await import(entry.href);
  process.exitCode = await runCli(process.argv.slice(2), process.env);
}
