// Loads the MODEL argument: the file, its parsed model and graph.
import { buildModelGraph, GraphModel } from '../core/graph';
import { OnnxModel } from '../core/model';
import { readModelFileSync } from '../node/modelFile';

export interface LoadedModel {
  path: string;
  bytes: Uint8Array;
  model: OnnxModel;
  graph: GraphModel;
}

export function loadModel(path: string): LoadedModel {
  const { bytes, model } = readModelFileSync(path);
  return { path, bytes, model, graph: buildModelGraph(model) };
}
