// TensorRT's item and options. Picking it locates the helper (awaited `--version`): without a helper, TensorRT or a
// GPU, ONE error says what was looked for and which setting to set. Then: capture mode, precision, TF32.
import * as vscode from 'vscode';
import { describeVersion, type LocatedHelper } from '../../../backends/tensorrt/locateHelper';
import { sharedTrtHelper, trtRunKind, trtSettingsOf } from '../../../backends/tensorrt/trtKind';
import type { CaptureMode } from '../../../backends/tensorrt/trtOptions';
import { errorMessage } from '../../../core/errors';
import { log } from '../../log';
import { pick } from './quickPick';
import type { PickContext, RunPicker } from './runPicker';

const DETAIL = 'Run this model with TensorRT through the onnx-inspector helper, capturing every tensor TensorRT keeps';

type Precision = 'fp32' | 'fp16' | 'bf16' | 'int8';

/** The located helper, or undefined after showing the one error the user needs. */
async function locateOrExplain(ctx: PickContext): Promise<LocatedHelper | undefined> {
  let located: LocatedHelper;
  try {
    located = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Looking for TensorRT (asking the helper for its version)' },
      () => sharedTrtHelper(ctx.run).locate());
  } catch (e) {
    void showSettingsError(errorMessage(e));
    return undefined;
  }
  log.info(`tensorrt: helper ${located.path} (${located.source}): ${describeVersion(located.version)}`);
  if (!located.version.gpu) {
    void showSettingsError(`TensorRT ${located.version.tensorrt} was found by ${located.path}, but no GPU: ${located.version.problems.join('; ') || 'none detected'}. TensorRT needs an NVIDIA GPU and its driver.`);
    return undefined;
  }
  return located;
}

async function showSettingsError(message: string): Promise<void> {
  log.error(`tensorrt: ${message}`);
  const open = 'Open TensorRT Settings';
  if (await vscode.window.showErrorMessage(message, open) === open) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'onnxInspector.tensorrt');
  }
}

export const tensorrtPicker: RunPicker = {
  kindId: trtRunKind.id,
  // What the helper said last time, when it was already asked; the list is never changed while it is open (an Enter
  // during such a change could select nothing and silently end the command).
  item: (ctx) => {
    const known = sharedTrtHelper(ctx.run).known();
    return known
      ? { label: 'TensorRT', description: known.path.split(/[\\/]/).pop(), detail: describeVersion(known.version) }
      : { label: 'TensorRT', detail: `${DETAIL} (the helper is looked for when you pick this)` };
  },
  async pickOptions(ctx) {
    const located = await locateOrExplain(ctx);
    if (!located) return undefined;
    const { title } = ctx;
    const major = located.version.tensorrtMajor ?? 0;
    const modes: { label: string; description?: string; detail: string; value: CaptureMode }[] = [];
    if (major >= 10) modes.push({ label: 'Debug tensors', description: 'default', detail: 'Captures tensors without changing the engine: fusions stay, and fused tensors are listed as such (TensorRT 10+)', value: 'debug' });
    modes.push({
      label: 'Mark as outputs', description: major >= 10 ? undefined : `the only mode on TensorRT ${located.version.tensorrt}`,
      detail: 'Marks every tensor as a network output: all are captured, but marking blocks fusions, so the engine differs from the real one', value: 'mark',
    });
    const captureMode = modes.length === 1 ? 'mark' : await pick<CaptureMode>(title, 'TensorRT: how to capture intermediate tensors?', modes);
    if (!captureMode) return undefined;
    const precision = await pick<Precision>(title, 'TensorRT: precision?', [
      { label: 'FP32', description: 'default', detail: 'Full precision: differences from onnxruntime point at real problems', value: 'fp32' },
      { label: 'FP16', detail: 'Allows FP16 kernels: expect differences around 1e-3 relative', value: 'fp16' },
      { label: 'BF16', detail: 'Allows BF16 kernels (Ampere and newer)', value: 'bf16' },
      { label: 'INT8', detail: 'For models with Q/DQ (QuantizeLinear/DequantizeLinear) nodes: explicit quantization', value: 'int8' },
    ]);
    if (!precision) return undefined;
    const tf32 = await pick<boolean>(title, 'TensorRT: TF32 for FP32 math?', [
      { label: 'TF32 off', description: 'default', detail: "TF32 rounds FP32 matmul/conv inputs to 10 mantissa bits (~1e-3 error): off, FP32 compares tightly with onnxruntime's CPU", value: false },
      { label: 'TF32 on', detail: "TensorRT's own default on Ampere and newer: faster, and what a deployed engine usually does", value: true },
    ]);
    if (tf32 === undefined) return undefined;
    const settings = trtSettingsOf(ctx.run);
    const options = trtRunKind.parseOptions({
      capture: 'all', captureMode, tf32, fp16: precision === 'fp16', bf16: precision === 'bf16', int8: precision === 'int8',
      cacheDir: settings.cacheDir || null, buildTimeoutSec: settings.buildTimeoutSeconds,
    });
    return { kind: trtRunKind.id, options: { ...options }, label: trtRunKind.describe(options).replace(/^TensorRT/, `TensorRT ${located.version.tensorrt}`) };
  },
};
