// A key for layout caches that changes whenever anything drawn changes: sha256 over every byte of the
// model except initializer data (names, types and dims of initializers are included). Weight bytes are
// skipped so a 1 GB model hashes as fast as its graph.
import { createHash } from 'crypto';
import { OnnxModel } from '../core/model';

const GRAPH_INITIALIZER = 5;

export function modelCacheKey(model: OnnxModel): string {
  const h = createHash('sha256');
  for (const f of model.fields) {
    if (f !== model.graphSpan) h.update(model.bytes.subarray(f.start, f.end));
  }
  for (const f of model.graph.fields) {
    if (f.field !== GRAPH_INITIALIZER) h.update(model.bytes.subarray(f.start, f.end));
  }
  for (const t of model.graph.initializers) h.update(`${t.name}\u0000${t.dataType}\u0000${t.dims.join(',')}\n`);
  return h.digest('hex');
}
