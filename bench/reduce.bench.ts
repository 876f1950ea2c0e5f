// Reduce against `polygraphy debug reduce --mode bisect`, both driven with onnxruntime (CPU) on both sides, on
// one-node mutations of real models (swin_tiny with random weights included) and a Swin-like block (the cases of test/unit/reduceModels.test.ts) plus
// a failure that needs two nodes. For each: candidate runs and wall time (ours: the full runs included;
// Polygraphy: its golden run and `data merge` included), and whether the result is the changed node.
// Polygraphy's recipe: `polygraphy run ORIG --onnxrt --onnx-outputs mark all --save-inputs --save-outputs`,
// `polygraphy data merge` into layerwise inputs, then `debug reduce MUTATED --mode=bisect --check polygraphy run
// polygraphy_debug.onnx --onnxrt --load-inputs ... --load-outputs golden.json`. Needs polygraphy and
// onnx_graphsurgeon (pip) on the PATH.   node --import tsx bench/reduce.bench.ts [--only NAME-PART]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildModelGraph } from '../src/core/graph';
import { readModel } from '../src/core/model';
import { constantNodes } from '../src/core/constantNodes';
import { computingNodes, Mutation, mutate, reduceMutated, scaledChain, swinBlockModel } from '../test/unit/reduceSupport';

const shared = path.resolve(__dirname, '../../shared/models');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-reduce-bench-'));

interface Case { name: string; original: () => string; mutation?: Mutation; mutated?: () => string; expect: string[]; atol: number; rtol: number }

const file = (name: string, bytes: () => Uint8Array) => () => {
  const p = path.join(work, name);
  if (!fs.existsSync(p)) fs.writeFileSync(p, bytes());
  return p;
};
const sharedModel = (name: string) => () => path.join(shared, `${name}.onnx`);
/** swin_tiny with random weights (shared tools/fill-external-data.py) in the work folder; mutated copies go beside it. */
const swinTiny = () => {
  const p = path.join(work, 'swin_tiny.onnx');
  if (!fs.existsSync(p)) {
    fs.copyFileSync(path.join(shared, 'swin_tiny.onnx'), p);
    const r = spawnSync('python3', [path.resolve(shared, '../tools/fill-external-data.py'), path.join(shared, 'swin_tiny.onnx'), work, '--seed=7'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`fill-external-data.py failed: ${r.stderr}`);
  }
  return p;
};
const swin = file('swin_block.onnx', swinBlockModel);

const CASES: Case[] = [
  { name: 'squeezenet1_1: Conv weights changed (constant)', original: sharedModel('squeezenet1_1'), mutation: { kind: 'constant', node: '/features/features.6/expand3x3/Conv', initializer: 'features.6.expand3x3.weight' }, expect: ['/features/features.6/expand3x3/Conv'], atol: 1e-5, rtol: 1e-5 },
  { name: 'squeezenet1_1: Relu -> Elu at a branch point', original: sharedModel('squeezenet1_1'), mutation: { kind: 'op', node: '/features/features.4/squeeze_activation/Relu', to: 'Elu' }, expect: ['/features/features.4/squeeze_activation/Relu'], atol: 1e-5, rtol: 1e-5 },
  { name: 'mobilenet_v3_small: residual Add -> Sub (branch merge)', original: sharedModel('mobilenet_v3_small'), mutation: { kind: 'op', node: '/features/features.6/Add', to: 'Sub' }, expect: ['/features/features.6/Add'], atol: 1e-5, rtol: 1e-5 },
  { name: 'mobilenet_v3_small: HardSigmoid beta (attribute)', original: sharedModel('mobilenet_v3_small'), mutation: { kind: 'attribute', node: '/features/features.9/block/block.2/scale_activation/HardSigmoid', attribute: 'beta', f: 0.6 }, expect: ['/features/features.9/block/block.2/scale_activation/HardSigmoid'], atol: 1e-5, rtol: 1e-5 },
  { name: 'Swin block: Softmax axis (attribute)', original: swin, mutation: { kind: 'attribute', node: 'softmax', attribute: 'axis', i: 2 }, expect: ['softmax'], atol: 1e-5, rtol: 1e-5 },
  { name: 'Swin block: residual Add -> Sub (branch point)', original: swin, mutation: { kind: 'op', node: 'residual1', to: 'Sub' }, expect: ['residual1'], atol: 1e-5, rtol: 1e-5 },
  { name: 'swin_tiny: GELU Erf -> Tanh inside a Swin block (stage 2)', original: swinTiny, mutation: { kind: 'op', node: '/layers/layers.1/blocks/blocks.0/mlp/act/Erf', to: 'Tanh' }, expect: ['/layers/layers.1/blocks/blocks.0/mlp/act/Erf'], atol: 1e-5, rtol: 1e-5 },
  { name: 'two drifting Muls (needs both nodes)', original: file('chain.onnx', () => scaledChain(1, 1)), mutated: file('chain.drift.onnx', () => scaledChain(1.000006, 1.000006)), expect: ['mul1', 'mul2'], atol: 0, rtol: 1e-5 },
];

function polygraphy(args: string[], cwd: string): { out: string; code: number } {
  const r = spawnSync('polygraphy', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { out: `${r.stdout}${r.stderr}`, code: r.status ?? -1 };
}

function computingNodesOf(modelPath: string): string[] {
  const graph = buildModelGraph(readModel(new Uint8Array(fs.readFileSync(modelPath))));
  const constant = constantNodes(graph);
  return graph.order.filter((i) => !constant[i]).map((i) => graph.nodes[i].name);
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  for (const [ci, c] of CASES.entries()) {
    if (only && !c.name.includes(only)) continue;
    const original = c.original();
    const mutated = c.mutated ? c.mutated() : path.join(work, `case${ci}.onnx`);
    if (c.mutation) fs.writeFileSync(mutated, mutate(new Uint8Array(fs.readFileSync(original)), c.mutation));
    let t = performance.now();
    const ours = await reduceMutated(mutated, original, { tolerances: { default: { atol: c.atol, rtol: c.rtol } } });
    const oursSeconds = (performance.now() - t) / 1000;
    const oursNodes = computingNodes(mutated, ours);

    const same = (xs: string[]) => (xs.join() === c.expect.join() ? 'yes' : `no: ${xs.length} nodes (${xs.slice(0, 2).join(', ')}${xs.length > 2 ? ', ...' : ''})`);
    // The documented recipe checks the candidate's outputs only; when that misses the change (it dies out before
    // the model's outputs), the check is repeated with every tensor of the candidate marked, Polygraphy's best shot.
    for (const markAll of [false, true]) {
      const dir = fs.mkdtempSync(path.join(work, 'pg-'));
      t = performance.now();
      const golden = polygraphy(['run', original, '--onnxrt', '--onnx-outputs', 'mark', 'all', '--save-inputs', 'inputs.json', '--save-outputs', 'golden.json'], dir);
      const merged = polygraphy(['data', 'merge', 'inputs.json', 'golden.json', '-o', 'layerwise_inputs.json'], dir);
      const tol = ['--atol', String(c.atol), '--rtol', String(c.rtol)];
      const reduce = polygraphy(['debug', 'reduce', mutated, '-o', 'reduced.onnx', '--mode=bisect', '--load-inputs', 'layerwise_inputs.json',
        '--check', 'polygraphy', 'run', 'polygraphy_debug.onnx', '--onnxrt', ...(markAll ? ['--onnx-outputs', 'mark', 'all'] : []),
        '--load-inputs', 'layerwise_inputs.json', '--load-outputs', 'golden.json', ...tol], dir);
      const pgSeconds = (performance.now() - t) / 1000;
      if (golden.code || merged.code) throw new Error(`${c.name}: polygraphy failed:\n${golden.out.slice(-2000)}\n${merged.out.slice(-2000)}`);
      const pgRuns = (reduce.out.match(/(PASSED|FAILED) \| Iteration/g) ?? []).length;
      // `debug reduce` itself can fail (its own error, not a check's): reported as such, with its first error line.
      const pgError = reduce.code ? (reduce.out.split('\n').find((l) => /^\[(E|!)\]/.test(l) && !/Iteration|CAPTURED/.test(l)) ?? `exit ${reduce.code}`).slice(0, 160) : '';
      const pgResult = pgError ? `failed: ${pgError}` : same(computingNodesOf(path.join(dir, 'reduced.onnx')));
      const name = markAll ? `${c.name} (Polygraphy check with --onnx-outputs mark all)` : c.name;
      rows.push([name, String(ours.candidateRuns), oursSeconds.toFixed(1), same(oursNodes), String(pgRuns), pgSeconds.toFixed(1), pgResult]);
      console.log(rows[rows.length - 1].join(' | '));
      if (pgResult === 'yes' || pgError) break;
    }
  }
  console.log('\n| case | ours: candidate runs | ours: wall s | ours: exactly the changed node(s) | Polygraphy: check runs | Polygraphy: wall s | Polygraphy: exactly the changed node(s) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nload average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} on ${os.cpus().length} cores`);
}

main().then(() => fs.rmSync(work, { recursive: true, force: true }), (e) => {
  console.error(e);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
