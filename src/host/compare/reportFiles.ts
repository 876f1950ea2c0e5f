// Report export: the default file name beside the model (never one that exists: the user is offered a free
// name and the save dialog confirms any replacement), and the text of each format. Pure apart from `exists`.
import * as nodePath from 'node:path';
import type { ComparisonReport } from '../../compare/report';
import { renderMarkdown } from '../../compare/reportMarkdown';

export type ReportFormat = 'json' | 'markdown';

export const REPORT_EXT: Record<ReportFormat, string> = { json: 'json', markdown: 'md' };

/** `dir/model.compare.json`, else `dir/model.compare-2.json`, ...: the first name `exists` says is free. */
export function defaultReportPath(modelPath: string, format: ReportFormat, exists: (path: string) => boolean, maxTries = 10_000): string {
  const dir = nodePath.dirname(modelPath);
  const stem = nodePath.basename(modelPath, nodePath.extname(modelPath));
  for (let n = 1; n <= maxTries; n++) {
    const candidate = nodePath.join(dir, `${stem}.compare${n === 1 ? '' : `-${n}`}.${REPORT_EXT[format]}`);
    if (!exists(candidate)) return candidate;
  }
  throw new Error(`no free file name like ${stem}.compare.${REPORT_EXT[format]} in ${dir} after ${maxTries} tries`);
}

export function reportText(report: ComparisonReport, format: ReportFormat): string {
  return format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report);
}
