// The operator schemas for the host: read once, on first use (the first view model or node properties), or
// earlier in the background while the first model is read. Without the file (a broken build) the view names
// weights by position and the properties panel says why the schema is missing; nothing else fails.
import type { OnnxModel } from '../core/model';
import { schemaInputNamer, type OpSchemaTable } from '../core/opSchemas';
import type { InputNamer } from '../layout/viewModel';
import { opSchemaTable, preloadOpSchemaTable } from '../node/opSchemaFile';
import { log } from './log';

let reported = false;

/** The table, or the reason it cannot be had (logged once). */
export function hostOpSchemas(): OpSchemaTable | Error {
  try {
    return opSchemaTable();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    if (!reported) { reported = true; log.warn(err.message); }
    return err;
  }
}

/** Starts reading the table without waiting for it (errors surface on first use instead). */
export function preloadHostOpSchemas(): void {
  preloadOpSchemaTable().catch(() => undefined);
}

/** Names op inputs by schema for the view model of this model (undefined without schemas). */
export function inputNamerFor(model: OnnxModel): InputNamer | undefined {
  const t = hostOpSchemas();
  return t instanceof Error ? undefined : schemaInputNamer(t, model.opsets);
}
