// Every package the tests load is declared in package.json, so a fresh `npm ci` can run them (sax came in only
// as a dependency of @vscode/vsce, and would vanish with it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { repoRoot } from './editSupport';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

test('packages the tests import or require are declared dependencies', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
  const used = new Map<string, string>();
  for (const f of files(path.join(repoRoot, 'test'))) {
    const text = fs.readFileSync(f, 'utf8');
    // import ... from NAME (one line or closing a multi-line import), import(NAME), require(NAME), createRequire(...)(NAME).
    for (const m of text.matchAll(/(?:^\s*(?:import|export)\b[^'\n]*from\s+|^\s*\}\s*from\s+|import\(\s*|require\(\s*|\)\(\s*)'([^'./][^']*)'/gm)) {
      const spec = m[1];
      if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (name !== 'vscode') used.set(name, path.relative(repoRoot, f));
    }
  }
  assert.ok(used.has('sax'), 'the scan sees createRequire(...)(\'sax\')');
  const undeclared = [...used].filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (${file})`);
  assert.deepEqual(undeclared, []);
});
