// The one quick pick the run pickers use: Escape gives undefined; items can be refreshed while it is open (the
// TensorRT item's detail once the helper answered `--version`).
import * as vscode from 'vscode';

export interface Item<T> extends vscode.QuickPickItem { value: T }

export async function pick<T>(title: string, placeHolder: string, items: Item<T>[], refresh?: Promise<Item<T>[] | undefined>): Promise<T | undefined> {
  if (!refresh) {
    const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDetail: true });
    return chosen?.value;
  }
  const qp = vscode.window.createQuickPick<Item<T>>();
  Object.assign(qp, { title, placeholder: placeHolder, ignoreFocusOut: true, matchOnDetail: true, items });
  return new Promise<T | undefined>((resolve) => {
    let done = false;
    const finish = (v: T | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.value));
    qp.onDidHide(() => finish(undefined));
    void refresh.then((next) => {
      if (done || !next) return;
      const active = qp.activeItems[0]?.value;
      qp.items = next;
      const again = next.find((i) => i.value === active);
      if (again) qp.activeItems = [again];
    }, () => undefined);
    qp.show();
  });
}
