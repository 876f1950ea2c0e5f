// Wiring only: the editor provider, the layout service and the commands. No logic lives here.
import * as vscode from 'vscode';
import { registerGraphActions } from './actions/registerActions';
import { registerCompareBackends } from './compare/compareCommands';
import { GraphEditorProvider, GRAPH_VIEW_TYPE } from './graphEditorProvider';
import { registerInspect } from './inspect/inspectCommands';
import { initLog, log } from './log';
import { createSceneSourceFactory } from './sceneSources';
import { ViewMemory } from './viewMemory';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(initLog());
  const scenes = createSceneSourceFactory(context);
  context.subscriptions.push(scenes);
  const provider = new GraphEditorProvider(context.extensionUri, (doc) => scenes.create(doc), new ViewMemory(context.workspaceState));
  context.subscriptions.push(provider);
  context.subscriptions.push(registerInspect(provider));
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(GRAPH_VIEW_TYPE, provider, {
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
  context.subscriptions.push(registerGraphActions(provider));
  context.subscriptions.push(registerCompareBackends(provider, context.extensionUri.fsPath, context.globalState));
  log.info('ONNX Inspector activated');
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
