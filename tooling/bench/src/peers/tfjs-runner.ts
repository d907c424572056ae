// TensorFlow.js on a workload: a `tf.sequential` model of the same layers, compiled with the
// same optimizer, stepped with `trainOnBatch` (which waits for the loss, so each step is
// finished when it returns) and `predict` + `dataSync` for inference.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fillBatch, fillLabels } from '@nnkit/datasets';
import type * as Tfjs from '@tensorflow/tfjs';
import { inferenceOrder, trainingOrder, type BenchData } from './data.js';
import { timeSteps, type PhaseTiming } from './measure.js';
import type { ChildSpec } from './protocol.js';
import type { RunnerOutcome } from './runner.js';
import { totalSteps, type Workload, type WorkloadName } from './workloads.js';

type Tf = typeof Tfjs;

/** What the gradient kernels TensorFlow.js may lack compute, for the report. */
const kernelPurposes: Readonly<Record<string, string>> = {
  Conv2DBackpropFilter: "conv2d's gradient with respect to its filters",
  Conv2DBackpropInput: "conv2d's gradient with respect to its input",
  MaxPoolGrad: "max-pooling's gradient",
};

/** The `.wasm` files of `@tensorflow/tfjs-backend-wasm`, by the names the backend asks for. */
function tfjsWasmFiles(): Record<string, string> {
  // The package's Node entry is dist/tf-backend-wasm.node.js; the binaries sit beside it.
  const directory = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  const names = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  return Object.fromEntries(names.map((name) => [name, join(directory, name)]));
}

/** Loads TensorFlow.js and switches it to `backend`; returns the module and how to name it. */
async function loadTfjs(backend: 'cpu' | 'wasm'): Promise<{ tf: Tf; library: string; description: string }> {
  const tf: Tf = await import('@tensorflow/tfjs');
  const library = `tfjs ${tf.version.tfjs}`;
  if (backend === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js refused the cpu backend');
    return { tf, library, description: 'cpu (JS), 1 thread' };
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(tfjsWasmFiles());
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js refused the wasm backend (see its message above)');
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : '1 thread';
  // The backend package is versioned with tfjs; say so only if it is not.
  const version = wasm.version_wasm === tf.version.tfjs ? '' : ` ${wasm.version_wasm}`;
  return { tf, library, description: `wasm${version} (${simd}), ${threads}` };
}

function buildModel(tf: Tf, workload: Workload): Tfjs.Sequential {
  const model = tf.sequential();
  if (workload.name === 'bench-mlp') {
    model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
    model.add(tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'heNormal' }));
  } else {
    model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 20, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu', kernelInitializer: 'heNormal' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    model.add(tf.layers.conv2d({ filters: 40, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu', kernelInitializer: 'heNormal' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'heNormal' }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
  const spec = workload.optimizer;
  const optimizer =
    spec.kind === 'adam' ? tf.train.adam(spec.learningRate, spec.beta1, spec.beta2, spec.epsilon) : tf.train.momentum(spec.learningRate, spec.momentum);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return model;
}

/** One line saying why training failed, naming the missing kernel when that is the cause. */
function trainingFailure(error: unknown, library: string, backend: string, workload: WorkloadName): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(message);
  if (missing) {
    const purpose = kernelPurposes[missing[1]];
    return `${library} backend ${missing[2]} has no ${missing[1]} kernel${purpose ? ` (${purpose})` : ''}, so it cannot train ${workload}`;
  }
  return `${library} ${backend} failed to train ${workload}: ${message.split('\n')[0]}`;
}

/** Times TensorFlow.js (`cpu` or `wasm` backend) training and inference on `workload`. */
export async function runTfjs(spec: ChildSpec, workload: Workload, data: BenchData): Promise<RunnerOutcome> {
  const backend = spec.runner === 'tfjs-wasm' ? 'wasm' : 'cpu';
  const { tf, library, description } = await loadTfjs(backend);
  const model = buildModel(tf, workload);
  const imageShape = [28, 28, 1] as const;
  const imageSize = 28 * 28;

  let train: PhaseTiming | null = null;
  let trainReason: string | undefined;
  if (spec.train) {
    const { batchSize } = workload;
    const order = trainingOrder(data.train.count, batchSize, totalSteps(spec.train), spec.seed);
    const input = new Float32Array(batchSize * imageSize);
    const labels = new Uint8Array(batchSize);
    const oneHot = new Float32Array(batchSize * 10);
    try {
      train = await timeSteps(spec.train, batchSize, async (step) => {
        const start = step * batchSize;
        fillBatch(data.train, order, start, start + batchSize, input);
        fillLabels(data.train, order, start, start + batchSize, labels);
        oneHot.fill(0);
        for (let r = 0; r < batchSize; r++) oneHot[r * 10 + labels[r]] = 1;
        const x = tf.tensor4d(input, [batchSize, ...imageShape]);
        const y = tf.tensor2d(oneHot, [batchSize, 10]);
        try {
          return (await model.trainOnBatch(x, y)) as number;
        } finally {
          x.dispose();
          y.dispose();
        }
      });
    } catch (error) {
      trainReason = trainingFailure(error, library, backend, workload.name);
    }
  }

  let infer: PhaseTiming | null = null;
  if (spec.infer) {
    const batchSize = workload.inferBatchSize;
    const order = inferenceOrder(data.test.count, batchSize, totalSteps(spec.infer));
    const input = new Float32Array(batchSize * imageSize);
    let checksum = 0;
    infer = await timeSteps(spec.infer, batchSize, (step) => {
      const start = step * batchSize;
      fillBatch(data.test, order, start, start + batchSize, input);
      const x = tf.tensor4d(input, [batchSize, ...imageShape]);
      const y = model.predict(x) as Tfjs.Tensor;
      checksum += y.dataSync()[0];
      x.dispose();
      y.dispose();
    });
    if (!Number.isFinite(checksum)) throw new Error(`${library} ${workload.name}: inference produced ${checksum}`);
  }

  return { library, backend: description, train, infer, ...(trainReason === undefined ? {} : { trainReason }) };
}
