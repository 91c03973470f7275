import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import type { ModelManifest } from '../models/model-manifest';

/**
 * A tiny ONNX model with the IS-Net signature (input `input` float32 [N,3,S,S], output
 * `output` [N,1,S,S]), written from code so tests need no weights: a 1x1 convolution that
 * averages the channels, scaled, then a sigmoid. Bright pixels become foreground, dark ones
 * background, so tests can predict the mask of a synthetic image. The batch dimension is
 * dynamic, so the scheduler's batching can be exercised.
 */

// The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) needed here.
const onnxSubset = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            name: { type: 'string', id: 8 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: { Tensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } } },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: { Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } } },
        },
      },
    },
  },
};

const FLOAT = 1;

export interface TinyModelOptions {
  /** Spatial input size S (the model is S x S). */
  size: number;
  /** Gain before the sigmoid: larger gives a harder mask. */
  gain?: number;
  /**
   * Busy work per run: this many 64-channel 1x1 convolutions on a side branch whose result is
   * added with zero weight (the mask is unchanged). 0 (default): a run takes microseconds;
   * ~8 at size 128 makes a run long enough to watch progress ticks.
   */
  work?: number;
}

const WORK_CHANNELS = 64;

/** The side branch of `work` layers: nodes and initializers ending in `busy` (all zeros, shape [N,1,S,S]). */
function busyBranch(layers: number) {
  const c = WORK_CHANNELS;
  const weights = (name: string, out: number, inp: number, value: number) => ({
    name,
    dims: [out, inp, 1, 1],
    dataType: FLOAT,
    floatData: new Array<number>(out * inp).fill(value),
  });
  const node = [{ opType: 'Conv', name: 'work_in', input: ['input', 'work_w_in'], output: ['work_0'] }];
  const initializer = [weights('work_w_in', c, 3, 1 / 3), weights('work_w', c, c, 1 / c), weights('work_w_out', 1, c, 0)];
  for (let i = 0; i < layers; i++)
    node.push({ opType: 'Conv', name: `work_${i + 1}`, input: [`work_${i}`, 'work_w'], output: [`work_${i + 1}`] });
  node.push({ opType: 'Conv', name: 'work_out', input: [`work_${layers}`, 'work_w_out'], output: ['busy'] });
  return { node, initializer };
}

/** The bytes of the tiny model. */
export function buildTinyOnnxModel({ size, gain = 20, work = 0 }: TinyModelOptions): Uint8Array {
  const root = protobuf.Root.fromJSON(onnxSubset);
  const Model = root.lookupType('onnx.ModelProto');
  const tensorType = (channels: number) => ({
    tensorType: {
      elemType: FLOAT,
      shape: { dim: [{ dimParam: 'batch' }, { dimValue: channels }, { dimValue: size }, { dimValue: size }] },
    },
  });
  const busy = work > 0 ? busyBranch(work) : undefined;
  const model = Model.fromObject({
    irVersion: 8,
    producerName: 'cutout-tiny-model',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny',
      node: [
        { opType: 'Conv', name: 'mean', input: ['input', 'w', 'b'], output: [busy ? 'mean' : 'logits'] },
        ...(busy ? [...busy.node, { opType: 'Add', name: 'with_work', input: ['mean', 'busy'], output: ['logits'] }] : []),
        { opType: 'Sigmoid', name: 'sigmoid', input: ['logits'], output: ['output'] },
      ],
      initializer: [
        { name: 'w', dims: [1, 3, 1, 1], dataType: FLOAT, floatData: [gain / 3, gain / 3, gain / 3] },
        { name: 'b', dims: [1], dataType: FLOAT, floatData: [0] },
        ...(busy?.initializer ?? []),
      ],
      input: [{ name: 'input', type: tensorType(3) }],
      output: [{ name: 'output', type: tensorType(1) }],
    },
  });
  return Model.encode(model).finish();
}

/** Writes a models folder holding the tiny model and its manifest; returns the manifest. */
export function writeTinyModel(modelsDir: string, { id = 'tiny', size = 64, maxBatch = 4, work = 0 } = {}): ModelManifest {
  mkdirSync(join(modelsDir, 'cache'), { recursive: true });
  writeFileSync(join(modelsDir, 'cache', `${id}.onnx`), buildTinyOnnxModel({ size, work }));
  const manifest: ModelManifest = {
    id,
    name: `Tiny test model (${size}x${size})`,
    licence: 'MIT',
    source: { kind: 'file' },
    input: { name: 'input', width: size, height: size, mean: [128, 128, 128], std: [256, 256, 256] },
    output: { name: 'output', index: 0, activation: 'none' },
    maxBatch,
  };
  writeFileSync(join(modelsDir, `${id}.model.json`), JSON.stringify(manifest, null, 2));
  return manifest;
}
