// The webview's HTML: strict CSP (nothing but our nonce'd script and style), no model data inline.
//
// Our script and stylesheet are written into the page (nonce'd) rather than linked: a linked resource is
// fetched through VS Code's webview service worker and the workbench, which measured 0.9 s per editor in
// code-server (the document was up in 0.2 s, our script ran at 1.1 s); inline, the script runs as soon as
// the document is written. Files that cannot be inlined safely are linked as before.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { inlinableText } from './inlineText';

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

/** Inlinable file texts by path (undefined: link the file), prepared once per extension host: the bundle does not
 *  change while it runs, and the check scans all of it. */
const inlineTexts = new Map<string, string | undefined>();

function inlineText(file: vscode.Uri, element: 'script' | 'style'): string | undefined {
  if (file.scheme !== 'file') return undefined;
  const key = file.fsPath;
  if (!inlineTexts.has(key)) {
    let text: string | undefined;
    try {
      text = fs.readFileSync(key, 'utf8');
    } catch {
      text = undefined; // linked instead; a missing file then shows in the webview's console as before
    }
    inlineTexts.set(key, inlinableText(text, element));
  }
  return inlineTexts.get(key);
}

export function graphWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const n = nonce();
  const scriptFile = vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js');
  const styleFile = vscode.Uri.joinPath(extensionUri, 'media', 'webview.css');
  const script = inlineText(scriptFile, 'script');
  const style = inlineText(styleFile, 'style');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${n}'`,
    // The toolkit probes support by inserting a <style>; it carries our nonce (read from the csp-nonce meta).
    `style-src ${webview.cspSource} 'nonce-${n}'`,
    `img-src ${webview.cspSource} data: blob:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const styleTag = style !== undefined
    ? `<style nonce="${n}" id="onnx-inspector-style">${style}</style>`
    : `<link rel="stylesheet" id="onnx-inspector-style" href="${webview.asWebviewUri(styleFile)}">`;
  const scriptTag = script !== undefined
    ? `<script nonce="${n}" id="onnx-inspector-script">${script}</script>`
    : `<script nonce="${n}" id="onnx-inspector-script" src="${webview.asWebviewUri(scriptFile)}"></script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${n}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styleTag}
<title>ONNX Inspector</title>
</head>
<body>
<div id="app" data-testid="app"></div>
${scriptTag}
</body>
</html>`;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableForms: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
