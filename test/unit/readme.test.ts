// The README a newcomer reads stays true: the two commands come first, every setting and every CLI command is
// described, the screenshots it shows exist, and the test stages it lists are the ones scripts/test.sh runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../src/cli/commands';
import { repoRoot } from './editSupport';

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);

test('the two commands are at the top', () => {
  assert.equal(headings[0], 'Two commands');
  const block = readme.slice(readme.indexOf('## Two commands'), readme.indexOf(`## ${headings[1]}`));
  assert.match(block, /npm start/);
  assert.match(block, /npm test/);
});

test('the sections a user needs are there, with the screenshots they show', () => {
  for (const h of ['What it does', 'Install the extension into your own VS Code', 'Settings', 'CLI']) assert.ok(headings.includes(h), `section '${h}'`);
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 2, 'a graph and a comparison screenshot');
  for (const img of images) assert.ok(fs.existsSync(path.join(repoRoot, img)), `${img} exists`);
  assert.match(readme, /code --install-extension/);
  assert.match(readme, /CPU-only/);
  assert.match(readme, /npm link/);
});

test('every setting and every CLI command is described', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] } };
  const configs = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  for (const key of configs.flatMap((c) => Object.keys(c.properties))) assert.ok(readme.includes(`\`${key}\``), `setting ${key}`);
  for (const c of COMMANDS) assert.match(readme, new RegExp(`onnx-inspector ${c.name}\\b`), `CLI command ${c.name}`);
  for (const code of ['| `run` |', '| `compare` |']) assert.ok(readme.includes(code), `exit codes of ${code}`);
});

test('the test stages listed are the ones scripts/test.sh runs', () => {
  const script = fs.readFileSync(path.join(repoRoot, 'scripts/test.sh'), 'utf8');
  const stages = [...script.matchAll(/^\s*stage (\S+) /gm)].map((m) => m[1]);
  assert.deepEqual(stages, ['setup', 'typecheck', 'lint', 'unit', 'webview', 'e2e']);
  for (const s of stages) assert.match(readme, new RegExp(`^\\| ${s} \\|`, 'm'), `stage ${s} in the README`);
});
