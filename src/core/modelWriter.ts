// Writes models by copying byte ranges: every field an edit does not touch (including fields unknown to our
// schema) keeps its exact bytes, so a write with no edit is byte-identical to the input.
import { OnnxModel } from './model';
import { concatBytes, FieldSpan } from './wire';

/**
 * Reassembles one message body from its field occurrences, in order: a field in `replace` is written as its
 * replacement bytes (a whole field, tag included) or dropped (null); other fields are copied from `bytes`.
 * `append` pieces (whole fields) follow. The result is the message body without its own tag/length header.
 */
export function assembleMessage(
  bytes: Uint8Array,
  fields: readonly FieldSpan[],
  replace: ReadonlyMap<FieldSpan, Uint8Array | null> = new Map(),
  append: readonly Uint8Array[] = [],
): Uint8Array {
  const parts: Uint8Array[] = [];
  // Runs of untouched adjacent fields are copied as one slice.
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0) parts.push(bytes.subarray(runStart, runEnd));
    runStart = -1;
  };
  for (const f of fields) {
    if (replace.has(f)) {
      flush();
      const r = replace.get(f);
      if (r) parts.push(r);
      continue;
    }
    if (runStart >= 0 && f.start === runEnd) {
      runEnd = f.end;
    } else {
      flush();
      runStart = f.start;
      runEnd = f.end;
    }
  }
  flush();
  parts.push(...append);
  return concatBytes(parts);
}

/** The model's bytes assembled from its top-level fields (identity: no edit). */
export function writeModel(model: OnnxModel): Uint8Array {
  return assembleMessage(model.bytes, model.fields);
}
