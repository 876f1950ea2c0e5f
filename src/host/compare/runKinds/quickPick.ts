// The one quick pick the run pickers use: Escape gives undefined.
import * as vscode from 'vscode';

export interface Item<T> extends vscode.QuickPickItem { value: T }

export async function pick<T>(title: string, placeHolder: string, items: Item<T>[]): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDetail: true });
  return chosen?.value;
}
