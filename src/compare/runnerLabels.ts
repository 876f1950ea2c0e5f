// The two sides' labels must never read the same: both "onnxruntime", or the same file name in two folders.
// Pure.

/**
 * `a` and `b` as given when they differ; else their longer forms (`long`, e.g. with the file's full path) when
 * those differ; else each marked with its side.
 */
export function distinctLabels(a: string, b: string, long?: { a: string; b: string }): { a: string; b: string } {
  if (a !== b) return { a, b };
  if (long && long.a !== long.b) return { a: long.a, b: long.b };
  return { a: `${a} (run A)`, b: `${b} (run B)` };
}
