// Shared by the TensorRT tests: the helper test double (test/fixtures/trtHelperDouble.mjs) computing with a CLI
// bundle built for the test file, a small model with named nodes, and its generated inputs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NdArray } from '../../src/compare/ndarray';
import { ResourcePool, type RunKindContext } from '../../src/backends/registry';
import { buildCli } from './cliSupport';
import { repoRoot } from './editSupport';
import { DT, makeModel } from '../fixtures/builders';

export const DOUBLE = path.join(repoRoot, 'test/fixtures/trtHelperDouble.mjs');

export interface TrtFixture {
  dir: string;
  cli: string;
  model: string;
  inputs: Map<string, NdArray>;
  /** process.env plus the double's CLI and these TRT_DOUBLE_* settings, and an engine cache of its own. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  dispose(): void;
}

/** x -> Relu(relu1) -> Neg(neg1) -> Abs(abs1) -> Sigmoid(sig1) -> Mul(mul1, by 2) -> y: four intermediates. */
export function chainModel(): Uint8Array {
  return makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2, 4] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT }],
    initializers: [{ name: 'two', dataType: DT.FLOAT, dims: [], floatData: [2] }],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['a'], name: 'relu1' },
      { op: 'Neg', inputs: ['a'], outputs: ['b'], name: 'neg1' },
      { op: 'Abs', inputs: ['b'], outputs: ['c'], name: 'abs1' },
      { op: 'Sigmoid', inputs: ['c'], outputs: ['d'], name: 'sig1' },
      { op: 'Mul', inputs: ['d', 'two'], outputs: ['y'], name: 'mul1' },
    ],
  });
}

export async function trtFixture(): Promise<TrtFixture> {
  const cli = await buildCli();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trt-test-'));
  const model = path.join(dir, 'chain.onnx');
  fs.writeFileSync(model, chainModel());
  const x = new Float32Array([-1, 0.5, 2, -3, 4, -0.25, 0.75, -2]);
  const inputs = new Map<string, NdArray>([['x', { dtype: 'float32', shape: [2, 4], data: x }]]);
  const cache = path.join(dir, 'engines');
  return {
    dir, cli: cli.file, model, inputs,
    env: (extra = {}) => ({ ...process.env, TRT_DOUBLE_CLI: cli.file, TRT_DOUBLE_MODE: 'ok', XDG_CACHE_HOME: cache, ...extra }),
    dispose: () => { cli.dispose(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** A run-kind context whose TensorRT helper is the double (through ONNX_INSPECTOR_TRT_HELPER, as the host honours it). */
export function doubleContext(env: NodeJS.ProcessEnv, logs: string[] = []): RunKindContext {
  return {
    env: { ...env, ONNX_INSPECTOR_TRT_HELPER: DOUBLE },
    resources: new ResourcePool(),
    log: (level, message) => logs.push(`${level}: ${message}`),
  };
}
