// Registers every graph action command and the onnx-text document provider (one call from extension.ts).
import * as vscode from 'vscode';
import { GraphEditorProvider } from '../graphEditorProvider';
import { ModelTextProvider, TEXT_SCHEME } from '../textView';
import { registerCompareModels } from './compareModels';
import { registerCopyName } from './copyName';
import { registerExportView } from './exportView';
import { registerExtractMarks } from './extractMarks';
import { registerExtractNode } from './extractNode';
import { registerExtractSubmodel } from './extractSubmodel';
import { registerMarkAsOutput } from './markAsOutput';
import { registerOpenAsText } from './openAsText';
import { trackPanelMarks } from './panelMarks';

export function registerGraphActions(provider: GraphEditorProvider): vscode.Disposable {
  return vscode.Disposable.from(
    trackPanelMarks(),
    vscode.workspace.registerTextDocumentContentProvider(TEXT_SCHEME, new ModelTextProvider()),
    registerMarkAsOutput(provider),
    registerExtractMarks(provider),
    registerExtractSubmodel(provider),
    registerExtractNode(provider),
    registerCopyName(provider),
    registerExportView(provider),
    registerOpenAsText(provider),
    registerCompareModels(provider),
  );
}
