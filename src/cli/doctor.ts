// `doctor`: what the TensorRT helper finds on this machine: each helper tried (and where it came from), the
// TensorRT version and folder, the GPU, and every problem. Exit 0: usable; 3: no helper or no TensorRT; 4: no GPU.
import { describeVersion, probeAll, type Probe } from '../backends/tensorrt/locateHelper';
import { searchedText, LIB_DIR_HINT } from '../backends/tensorrt/trtErrors';
import { Command } from './command';
import { trtSettingsFromArgs } from './run';
import * as nodePath from 'node:path';

export const EXIT_NO_TENSORRT = 3;
export const EXIT_NO_GPU = 4;

function probeLines(p: Probe): string[] {
  const lines = [`helper: ${p.path} (${p.source})`];
  const v = p.version;
  if (!v) {
    lines.push(`  problem: ${p.problem}`);
    return lines;
  }
  lines.push(`  helper version ${v.helper}; ${describeVersion(v)}`);
  if (v.tensorrt) lines.push(`  TensorRT ${v.tensorrt} from ${v.tensorrtLibDir ?? '(folder not reported)'}${v.cuda ? `; CUDA ${v.cuda}` : ''}`);
  else lines.push(`  looked in: ${searchedText(v.searched)}`);
  for (const problem of v.problems) lines.push(`  problem: ${problem}`);
  return lines;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check what TensorRT runs need: finds the TensorRT helper (--trt-helper, ONNX_INSPECTOR_TRT_HELPER, the bundled helpers, PATH), asks it (`--version --json`) which TensorRT and GPU it finds, and prints every problem. Exit 0 when TensorRT runs can work, 3 when no helper or no TensorRT is found, 4 when there is no GPU.',
  synopsis: '[--trt-helper PATH] [--tensorrt-lib-dir DIR] [--python PY] [--json]',
  positionals: [],
  options: [
    { name: 'trt-helper', kind: 'string', help: 'the TensorRT helper binary to check' },
    { name: 'tensorrt-lib-dir', kind: 'string', help: 'folder holding libnvinfer.so.N, passed to the helper' },
    { name: 'python', kind: 'string', help: 'python whose site-packages hold pip\'s tensorrt' },
    { name: 'json', kind: 'flag', help: 'print the probes as JSON' },
  ],
  async run(args, io) {
    const probes = await probeAll({ ...trtSettingsFromArgs(args), extensionRoot: nodePath.resolve(__dirname, '..') });
    const found = probes.find((p) => p.version?.tensorrt);
    const code = !found ? EXIT_NO_TENSORRT : found.version?.gpu ? 0 : EXIT_NO_GPU;
    if (args.flags.has('json')) {
      io.out(JSON.stringify({ usable: code === 0, exitCode: code, probes }, null, 2) + '\n');
      return code;
    }
    if (probes.length === 0) {
      io.out(`no TensorRT helper found: none bundled beside this CLI (${nodePath.resolve(__dirname, '..', 'bin')}) and no onnx-inspector-trt* on PATH; give one with --trt-helper PATH\n`);
      return EXIT_NO_TENSORRT;
    }
    for (const p of probes) io.out(probeLines(p).join('\n') + '\n');
    if (code === 0) io.out(`ok: TensorRT runs use ${found?.path}\n`);
    else if (code === EXIT_NO_GPU) io.out('not usable: TensorRT was found but no GPU; TensorRT needs an NVIDIA GPU and its driver (check nvidia-smi)\n');
    else io.out(`not usable: no helper found TensorRT; ${LIB_DIR_HINT}\n`);
    return code;
  },
};
