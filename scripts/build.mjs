// Bundles the entry points. Type-checking is its own step (scripts/typecheck.sh), run before this in CI.
// onnxruntime-node stays external: it loads a native library and is required lazily, only when a run starts.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', legalComments: 'none' };

const entries = [
  { entryPoints: ['src/host/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node18',
    external: ['vscode', 'onnxruntime-node'] },
  { entryPoints: ['src/layout/worker.ts'], outfile: 'dist/layoutWorker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { entryPoints: ['src/backends/compareWorker.ts'], outfile: 'dist/compareWorker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node18',
    external: ['onnxruntime-node'], banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((e) => existsSync(e.entryPoints[0]));

if (watch) {
  for (const e of entries) (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
