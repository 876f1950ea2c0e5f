// The webview's script and stylesheet are written into its HTML (no fetch through VS Code's service worker);
// text that would end or re-escape its element must be linked instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inlinableText } from '../../src/host/inlineText';

test('script text that could end or re-escape <script> is not inlined', () => {
  assert.equal(inlinableText('const s = "</script>";', 'script'), undefined);
  assert.equal(inlinableText('const s = "</SCRIPT >";', 'script'), undefined);
  assert.equal(inlinableText('const s = "<!--<script>";', 'script'), undefined);
  assert.equal(inlinableText(undefined, 'script'), undefined);
  // An HTML comment opener alone leaves the end tag working (the element's text stays escaped-but-closable).
  assert.equal(inlinableText('const m = `<!--${x}-->`;', 'script'), 'const m = `<!--${x}-->`;');
});

test('style text with </style> is not inlined; a script\'s relative source map link is dropped', () => {
  assert.equal(inlinableText('a{}</style><script>x()</script>', 'style'), undefined);
  assert.equal(inlinableText('a { color: var(--vscode-foreground); }', 'style'), 'a { color: var(--vscode-foreground); }');
  assert.equal(inlinableText('run();\n//# sourceMappingURL=webview.js.map\n', 'script'), 'run();\n');
});

const repo = path.resolve(__dirname, '..', '..');
const bundle = path.join(repo, 'dist', 'webview.js');

test('the built webview bundle and stylesheet can be inlined (else every editor waits for their fetch)', {
  skip: fs.existsSync(bundle) ? false : 'dist/webview.js is not built (npm run build)',
}, () => {
  const script = fs.readFileSync(bundle, 'utf8');
  const inlined = inlinableText(script, 'script');
  assert.ok(inlined !== undefined, 'dist/webview.js contains <script or </script');
  assert.ok(inlined.length > script.length - 200, 'only the source map link may be dropped');
  assert.ok(inlinableText(fs.readFileSync(path.join(repo, 'media', 'webview.css'), 'utf8'), 'style') !== undefined, 'media/webview.css contains </style');
});
