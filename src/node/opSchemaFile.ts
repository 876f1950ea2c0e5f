// Loads the operator schemas the build generated (dist/opSchemas.json, see scripts/gen-op-schemas.py) once per
// process. The bundled extension finds the file beside itself in dist/; run from sources (tests, benches) it is
// in the checkout's dist/. A missing or broken file is an error the callers show or log; the graph view then
// names inputs by position.
import * as fs from 'fs';
import * as path from 'path';
import { OpSchemaTable } from '../core/opSchemas';

export const OP_SCHEMA_FILE = 'opSchemas.json';

/** Where the schema file should be: beside the bundle, or in the source checkout's dist/. */
export function defaultOpSchemaPath(): string {
  const beside = path.join(__dirname, OP_SCHEMA_FILE);
  if (fs.existsSync(beside)) return beside;
  return path.resolve(__dirname, '..', '..', 'dist', OP_SCHEMA_FILE);
}

const tables = new Map<string, OpSchemaTable>();
const pending = new Map<string, Promise<OpSchemaTable>>();

function parseFile(file: string, text: string): OpSchemaTable {
  try {
    return OpSchemaTable.parse(text);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

function readError(file: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  return new Error(code === 'ENOENT'
    ? `operator schemas not found at ${file}: build the extension (node scripts/build.mjs generates them with python3 and the onnx package)`
    : `cannot read operator schemas at ${file}: ${(e as Error).message}`);
}

/** The schema table, read and parsed on first use (~5 ms) and kept. */
export function opSchemaTable(file = defaultOpSchemaPath()): OpSchemaTable {
  let t = tables.get(file);
  if (t) return t;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw readError(file, e);
  }
  t = parseFile(file, text);
  tables.set(file, t);
  return t;
}

/** Starts reading the table in the background (while a model is being read), so first use finds it parsed. */
export function preloadOpSchemaTable(file = defaultOpSchemaPath()): Promise<OpSchemaTable> {
  const done = tables.get(file);
  if (done) return Promise.resolve(done);
  let p = pending.get(file);
  if (!p) {
    p = fs.promises.readFile(file, 'utf8').then(
      (text) => {
        const t = tables.get(file) ?? parseFile(file, text);
        tables.set(file, t);
        return t;
      },
      (e: unknown) => { throw readError(file, e); },
    );
    pending.set(file, p);
  }
  return p;
}
