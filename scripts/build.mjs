// Bundles the entry points. Type-checking is its own step (scripts/typecheck.sh), run before this in CI.
// onnxruntime-node stays external: it loads a native library and is required lazily, only when a run starts.
// dist/opSchemas.json (the ONNX operator schemas the graph view and properties panel read) is generated from the
// `onnx` Python package by scripts/gen-op-schemas.py, alongside the bundles.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', legalComments: 'none' };

const entries = [
  { entryPoints: ['src/host/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node18',
    external: ['vscode', 'onnxruntime-node'] },
  { entryPoints: ['src/layout/worker.ts'], outfile: 'dist/layoutWorker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { entryPoints: ['src/node/codeCacheWorker.ts'], outfile: 'dist/codeCacheWorker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { entryPoints: ['src/backends/compareWorker.ts'], outfile: 'dist/compareWorker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node18',
    external: ['onnxruntime-node'], banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((e) => existsSync(e.entryPoints[0]));

/** Runs the schema generator; rejects with what to install when python3 or its onnx package is missing. */
function generateOpSchemas() {
  const python = process.env.PYTHON ?? 'python3';
  mkdirSync('dist', { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['scripts/gen-op-schemas.py', 'dist/opSchemas.json'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (e) => reject(new Error(`cannot run ${python} (${e.message}). The build generates dist/opSchemas.json from the ` +
      `onnx Python package: install python3 and 'pip install onnx' (scripts/setup.sh does both), or set PYTHON to an interpreter that has onnx.`)));
    child.on('exit', (code) => code === 0 ? resolve() : reject(new Error(`scripts/gen-op-schemas.py failed (exit ${code}): see its message above`)));
  });
}

try {
  if (watch) {
    await generateOpSchemas();
    for (const e of entries) (await esbuild.context({ ...common, ...e })).watch();
  } else {
    await Promise.all([generateOpSchemas(), ...entries.map((e) => esbuild.build({ ...common, ...e }))]);
  }
} catch (e) {
  console.error(`[build] error: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
