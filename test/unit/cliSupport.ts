// Runs the real CLI bundle: built once per test file with the same esbuild options as scripts/build.mjs,
// into a git-ignored folder inside the repo (so `require('onnxruntime-node')` resolves as in dist/).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './editSupport';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function buildCli(): Promise<{ file: string; dispose(): void }> {
  const esbuild = await import('esbuild');
  fs.mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(repoRoot, '.tmp', 'cli-test-'));
  const file = path.join(dir, 'cli.js');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'src/cli/main.ts')], outfile: file, bundle: true, platform: 'node', format: 'cjs',
    target: 'node18', external: ['onnxruntime-node'], banner: { js: '#!/usr/bin/env node' }, logLevel: 'silent',
  });
  return { file, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function runCli(cli: string, args: string[], opts: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: opts.cwd, env: { ...process.env, ONNX_INSPECTOR_DEBUG: '' }, maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
