// Layering is enforced here: each layer may import only the layers listed for it.
// core/compare/protocol are pure (no vscode, no Node, no DOM); the webview never imports host code or Node.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'zlib', 'node:*', 'stream', 'util', 'url', 'http', 'net'];

function restrict(files, patterns, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.e2e/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Type-aware rules: a dropped promise loses its error (an unhandled rejection in the extension host or the
  // webview), and a switch over a union must say what it does with each member.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test/describe return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  restrict(['src/core/**/*.ts'], ['vscode', ...nodeBuiltins, '**/host/**', '**/webview/**', '**/backends/**', '**/layout/**', '**/cli/**', '**/compare/**', '**/node/**'],
    'core is pure ONNX: no vscode, Node, webview or higher layers'),
  restrict(['src/compare/**/*.ts'], ['vscode', ...nodeBuiltins, '**/host/**', '**/webview/**', '**/backends/**', '**/layout/**', '**/cli/**', '**/node/**'],
    'compare is pure: it may use core only'),
  restrict(['src/protocol/**/*.ts'], ['vscode', ...nodeBuiltins, '**/host/**', '**/webview/**', '**/backends/**', '**/layout/**', '**/cli/**', '**/node/**', '**/core/**'],
    'protocol is shared by host and webview: plain types only'),
  restrict(['src/backends/**/*.ts', 'src/layout/**/*.ts', 'src/cli/**/*.ts', 'src/node/**/*.ts', 'src/reduce/**/*.ts'], ['vscode', '**/host/**', '**/webview/**'],
    'only the extension host may import vscode'),
  restrict(['webview/**/*.ts'], ['vscode', ...nodeBuiltins, '**/src/core/**', '**/src/host/**', '**/src/backends/**', '**/src/node/**', '**/src/cli/**', '**/src/compare/**', 'onnxruntime-node', 'protobufjs'],
    'the webview draws only: it talks to the host through src/protocol'),
);
