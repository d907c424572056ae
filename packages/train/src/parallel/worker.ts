import type { Dataset } from '@nnkit/datasets';
import { Sequential, type ModelDefinition } from '@nnkit/layers';
import { createRng, zeroGrads, type Kernels } from '@nnkit/tensor';
import { batchSource, imageSources } from '../batch-source.js';
import { Evaluator } from '../evaluate.js';
import { placeParams } from '../place-params.js';
import { datasetIds, indexListIds, resolveTarget, type DatasetId } from '../replicas.js';
import { shareOf, TrainingStep } from '../training-step.js';
import { Command, Control, resultStride, shareDropoutSeed, type InitMessage, type WorkerPort, type WorkerReply } from './protocol.js';

/** What the app's worker script gives `serveTrainWorker`: how to build its kernels. */
export interface TrainWorkerOptions {
  /**
   * Builds this thread's kernels (kernels cannot cross threads) from the app's description,
   * `WorkerTransport.kernels` on the main thread (default: the main kernels' name). Throw to
   * refuse a description: the main thread's `fit` then fails with the message.
   */
  createKernels(spec: unknown): Kernels | Promise<Kernels>;
}

/** Views of `buffer` cut in consecutive pieces of `sizes` (allocated once, so a step makes no garbage). */
function views(buffer: Float32Array, sizes: readonly number[]): Float32Array[] {
  let offset = 0;
  return sizes.map((size) => buffer.subarray(offset, (offset += size)));
}

function isInit(message: unknown): message is InitMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'nnkit-train-init';
}

/**
 * The body of a data-parallel worker, called by the app's worker script: waits for the init
 * message, rebuilds the model from its definition with the kernels `options.createKernels`
 * builds, answers 'ready', then serves commands from the shared control block (Atomics.wait;
 * the thread blocks between commands and is meant to be terminated by the main thread after
 * the exit command). Works in Node worker_threads (`nodeWorkerPort(parentPort)`) and in Web
 * Workers (`webWorkerPort(self)`).
 */
export function serveTrainWorker(port: WorkerPort, options: TrainWorkerOptions): void {
  let started = false;
  port.onMessage((message) => {
    if (!isInit(message) || started) return;
    started = true;
    prepare(message, port, options).then(
      (serve) => serve(),
      (error: unknown) => port.postMessage({ type: 'nnkit-train-error', thread: message.thread, message: (error as Error).message } satisfies WorkerReply),
    );
  });
}

async function prepare(init: InitMessage, port: WorkerPort, options: TrainWorkerOptions): Promise<() => void> {
  const { thread, threads, control, results } = init;
  const model = new Sequential(init.definition as ModelDefinition, createRng('replica'));
  if (init.frozenLayers.length > 0) model.freeze(init.frozenLayers);
  const kernels = await options.createKernels(init.kernels);
  placeParams(model.params, kernels);
  const training = new TrainingStep(model, kernels, init);
  const evaluator = new Evaluator(model, { batchSize: init.evaluationBatchSize, kernels, normalization: init.normalization });
  const paramSizes = model.params.map((param) => param.value.data.length);
  const stateSizes = model.state.map((entry) => entry.value.data.length);
  const paramViews = views(init.params, paramSizes);
  const gradViews = views(init.grad, paramSizes);
  const stateViews = views(init.state, stateSizes);
  const stateOutViews = views(init.stateOut, stateSizes);
  const datasets: Partial<Record<DatasetId, Dataset>> = { ...init.datasets };
  const batchData = { train: datasets.train!, order: init.indexLists.order, augmented: init.augmented };
  const outputs = { predictions: init.predictions, probabilities: init.probabilities };
  const done = Control.header + thread;
  const status = Control.header + threads + thread;
  let lossSum = 0;
  let correct = 0;

  const loadModel = (): void => {
    for (let i = 0; i < paramViews.length; i++) model.params[i].value.data.set(paramViews[i]);
    for (let i = 0; i < stateViews.length; i++) model.state[i].value.data.set(stateViews[i]);
  };

  const run = (command: number): void => {
    loadModel();
    if (command === Command.train) {
      const request = {
        epoch: control[Control.epoch],
        batch: control[Control.batch],
        position: control[Control.position],
        rows: control[Control.rows],
        images: imageSources[control[Control.images]],
      };
      const { from, to } = shareOf(request.rows, threads, thread);
      zeroGrads(model.params, kernels);
      const share = training.run(batchSource(request, batchData), from, to, createRng(shareDropoutSeed(init.dropoutSeed, request.epoch, request.batch, thread)));
      lossSum = share.loss * (to - from);
      correct = share.correct;
      for (let i = 0; i < gradViews.length; i++) gradViews[i].set(model.params[i].grad.data);
      for (let i = 0; i < stateOutViews.length; i++) stateOutViews[i].set(model.state[i].value.data);
    } else if (command === Command.evaluate) {
      const target = { dataset: datasetIds[control[Control.dataset]], indexList: indexListIds[control[Control.indexList]] };
      const { dataset, indices } = resolveTarget(target, datasets, init.indexLists);
      const { from, to } = shareOf(control[Control.rows], threads, thread);
      ({ lossSum, correct } = evaluator.score(dataset, indices, from, to, control[Control.outputs] === 1 ? outputs : undefined));
    } else {
      throw new RangeError(`worker ${thread}: unknown command ${command}`);
    }
    results[thread * resultStride] = lossSum;
    results[thread * resultStride + 1] = correct;
  };

  port.postMessage({ type: 'nnkit-train-ready', thread, paramSizes, stateSizes } satisfies WorkerReply);
  return () => {
    let seen = 0;
    for (;;) {
      Atomics.wait(control, Control.generation, seen);
      const generation = Atomics.load(control, Control.generation);
      if (generation === seen) continue;
      seen = generation;
      const command = control[Control.command];
      if (command === Command.exit) return;
      try {
        run(command);
        Atomics.store(control, status, 0);
      } catch (error) {
        // The message goes out before the completion below, so the main thread finds it waiting.
        port.postMessage({ type: 'nnkit-train-error', thread, message: (error as Error).message } satisfies WorkerReply);
        Atomics.store(control, status, 1);
      }
      Atomics.store(control, done, generation);
      Atomics.notify(control, done);
    }
  };
}

/** A `WorkerPort` over a Web Worker's global scope (`self`). */
export function webWorkerPort(scope: {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}): WorkerPort {
  return {
    postMessage: (message) => scope.postMessage(message),
    onMessage: (listener) => scope.addEventListener('message', (event) => listener(event.data)),
  };
}
