// The training worker: loads MNIST, builds the network from the page's configuration and runs
// mini-batch training in short slices, yielding between them so pause, step and evaluation
// requests are answered at once and the page never waits on a training step.
import type { Dataset } from '@nnkit/datasets';
import { type Kernels, type Rng, type Tensor, createRng, jsKernels, tensor, zeroGrads } from '@nnkit/tensor';
import { type PlaygroundConfig, suggestedDistortions } from './config.js';
import { type BackendRequest, loadKernels } from './kernels.js';
import { buildDefinition } from './model-definition.js';
import {
  type AugmentSpec,
  Sequential,
  augmentBatch,
  confusionMatrix,
  createOptimizer,
  distortImage,
  parseAugmentSpec,
  evaluate,
  fetchMnist,
  fillBatch,
  loadModel,
  saveModel,
  sliceDataset,
  type Optimizer,
} from './nnkit.js';
import type { RunState, WorkerMessage, WorkerRequest } from './protocol.js';

const post = (message: WorkerMessage, transfer: Transferable[] = []): void => {
  (self as unknown as { postMessage(message: unknown, transfer: Transferable[]): void }).postMessage(message, transfer);
};

/** How long one slice of training runs before the worker looks at its messages again (ms). */
const sliceMilliseconds = 40;
/** Training-curve points per epoch; test evaluations per epoch. */
const trainPointsPerEpoch = 25;
const evaluationsPerEpoch = 4;
/** Test images scored at the quarter-epoch evaluations (the epoch-end ones score them all). */
const quickTestImages = 1000;
/** How often a running worker sends the model to the page (ms), so predictions follow training. */
const modelEveryMilliseconds = 1000;

interface Run {
  config: PlaygroundConfig;
  model: Sequential;
  optimizer: Optimizer;
  train: Dataset;
  test: Dataset;
  shuffleRng: Rng;
  dropoutRng: Rng;
  distortRng: Rng;
  augment: AugmentSpec | null;
  order: Int32Array;
  epoch: number;
  batch: number;
  batches: number;
  imagesSeen: number;
  // Running sums since the last curve point.
  pointLoss: number;
  pointCorrect: number;
  pointCount: number;
  lastModelSent: number;
  lastPredictions: Uint8Array | null;
  imagesPerSecond: number;
}

let kernels: Kernels = jsKernels;
let kernelNote = '';
let kernelsChosen: BackendRequest | null = null;
/** The 60 000 training and 10 000 test digits, fetched once. */
let mnist: Promise<{ train: Dataset; test: Dataset }> | null = null;
let run: Run | null = null;
let state: RunState = 'loading';
let generation = 0;

function setState(next: RunState): void {
  state = next;
  post({ type: 'state', state: next });
}

async function configure(config: PlaygroundConfig, dataUrl: string, backend: BackendRequest): Promise<void> {
  const mine = ++generation;
  setState('loading');
  if (kernelsChosen !== backend) {
    ({ kernels, note: kernelNote } = await loadKernels(backend));
    kernelsChosen = backend;
  }
  if (mnist === null) {
    post({ type: 'status', text: 'Downloading MNIST (11 MB)…' });
    // Served gzipped next to the page (scripts/mnist-assets.ts); DecompressionStream unpacks them.
    mnist = fetchMnist(dataUrl, { gzip: true });
    mnist.catch(() => (mnist = null));
  }
  const data = await mnist;
  if (mine !== generation) return;
  const rng = createRng(config.seed);
  const model = new Sequential(buildDefinition(config), rng.fork('init'));
  const train = sliceDataset(data.train, 0, Math.min(config.trainSize, data.train.count), 'mnist:train');
  const test = sliceDataset(data.test, 0, Math.min(config.testSize, data.test.count), 'mnist:test');
  const optimizer = createOptimizer({
    kind: config.optimizer,
    learningRate: config.learningRate,
    l2: config.l2,
    trainingSize: train.count,
  });
  run = {
    config,
    model,
    optimizer,
    train,
    test,
    shuffleRng: rng.fork('shuffle'),
    dropoutRng: rng.fork('dropout'),
    distortRng: rng.fork('distort'),
    augment: config.distortions === '' ? null : parseAugmentSpec(config.distortions),
    order: new Int32Array(0),
    epoch: 0,
    batch: 0,
    batches: Math.ceil(train.count / config.batchSize),
    imagesSeen: 0,
    pointLoss: 0,
    pointCorrect: 0,
    pointCount: 0,
    lastModelSent: 0,
    lastPredictions: null,
    imagesPerSecond: 0,
  };
  post({
    type: 'ready',
    backend: kernels.name,
    backendNote: kernelNote,
    trainCount: train.count,
    testCount: test.count,
    summary: model.formatSummary(),
    parameterCount: model.params.reduce((sum, param) => sum + param.value.data.length, 0),
    batches: run.batches,
  });
  sendModel(run, 'an untrained network (press Start to train it)');
  setState('ready');
}

let augmentBytes = new Uint8Array(0);
function augmentBuffer(count: number): Uint8Array {
  if (augmentBytes.length < count * 784) augmentBytes = new Uint8Array(count * 784);
  return augmentBytes;
}
let identity = new Int32Array(0);
function identityIndices(count: number): Int32Array {
  if (identity.length < count) identity = Int32Array.from({ length: count }, (_, i) => i);
  return identity;
}

const batchBuffers = new Map<number, { input: Tensor; labels: Uint8Array }>();

function buffersFor(count: number): { input: Tensor; labels: Uint8Array } {
  let buffers = batchBuffers.get(count);
  if (buffers === undefined) {
    buffers = { input: tensor([count, 28, 28, 1]), labels: new Uint8Array(count) };
    batchBuffers.set(count, buffers);
  }
  return buffers;
}

/** One mini-batch: forward, loss, backward, optimizer step. Returns the batch's mean loss. */
function trainBatch(current: Run): number {
  const started = performance.now();
  const { config, model, train } = current;
  if (current.batch === 0) current.order = current.shuffleRng.permutation(train.count);
  const start = current.batch * config.batchSize;
  const end = Math.min(start + config.batchSize, train.count);
  const count = end - start;
  const { input, labels } = buffersFor(count);
  if (current.augment === null) {
    fillBatch(train, current.order, start, end, input.data);
  } else {
    // Distorted copies of this batch's images, drawn afresh every epoch.
    const batch = augmentBatch(train, current.order, start, end, current.augment, current.distortRng, augmentBuffer(count));
    fillBatch(batch, identityIndices(count), 0, count, input.data);
  }
  for (let i = 0; i < count; i++) labels[i] = train.labels[current.order[start + i]];
  const context = { kernels, training: true, rng: current.dropoutRng };
  const output = model.forward(input, context);
  const outputGrad = tensor(output.shape);
  const loss = model.loss.compute(output, labels, outputGrad.data);
  model.backward(outputGrad, context);
  current.optimizer.step(model.params);
  zeroGrads(model.params);

  const classes = output.shape[output.shape.length - 1];
  let correct = 0;
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (output.data[i * classes + c] > output.data[i * classes + best]) best = c;
    if (best === labels[i]) correct++;
  }
  current.pointLoss += loss * count;
  current.pointCorrect += correct;
  current.pointCount += count;
  current.imagesSeen += count;
  const rate = (count * 1000) / Math.max(1e-3, performance.now() - started);
  current.imagesPerSecond = current.imagesPerSecond === 0 ? rate : 0.9 * current.imagesPerSecond + 0.1 * rate;

  current.batch++;
  const position = current.epoch + current.batch / current.batches;
  const pointEvery = Math.max(1, Math.round(current.batches / trainPointsPerEpoch));
  if (current.batch % pointEvery === 0 || current.batch === current.batches) flushTrainPoint(current, position);
  const evaluationEvery = current.batches >= 40 ? Math.round(current.batches / evaluationsPerEpoch) : current.batches;
  const epochDone = current.batch === current.batches;
  // Between epoch ends a quick look at the first test images keeps the curve moving cheaply.
  if (current.batch % evaluationEvery === 0 && !epochDone) evaluateTest(current, position, current.model, quickTestImages);
  if (epochDone) {
    current.epoch++;
    current.batch = 0;
    evaluateTest(current, current.epoch);
  }
  return loss;
}

function flushTrainPoint(current: Run, position: number): void {
  if (current.pointCount === 0) return;
  post({ type: 'trainPoint', position, loss: current.pointLoss / current.pointCount, accuracy: current.pointCorrect / current.pointCount });
  current.pointLoss = 0;
  current.pointCorrect = 0;
  current.pointCount = 0;
}

function evaluateTest(current: Run, position: number | null, model: Sequential = current.model, limit?: number): void {
  const partial = limit !== undefined && limit < current.test.count;
  const indices = partial ? Int32Array.from({ length: limit }, (_, i) => i) : undefined;
  const result = evaluate(model, current.test, { kernels, batchSize: 250, ...(indices === undefined ? {} : { indices }) });
  // The confusion matrix and the misclassified digits always describe the whole test slice.
  if (!partial) current.lastPredictions = result.predictions;
  const labels = partial ? current.test.labels.subarray(0, limit) : current.test.labels;
  post({
    type: 'evaluation',
    position,
    loss: result.loss,
    accuracy: result.accuracy,
    count: result.count,
    confusion: partial ? null : confusionMatrix(labels, result.predictions, 10),
  });
}

function postProgress(current: Run, loss: number): void {
  post({
    type: 'progress',
    epoch: current.epoch,
    batch: current.batch,
    batches: current.batches,
    position: current.epoch + current.batch / current.batches,
    loss,
    imagesPerSecond: current.imagesPerSecond,
    imagesSeen: current.imagesSeen,
  });
}

function sendModel(current: Run, label: string): void {
  current.lastModelSent = performance.now();
  post({ type: 'model', text: saveModel(current.model, { meta: { config: current.config, epoch: current.epoch, batch: current.batch } }), label });
}

function trainingLabel(current: Run): string {
  if (current.batch === 0) return `the network trained here (${current.epoch} epoch${current.epoch === 1 ? '' : 's'})`;
  return `the network being trained here (epoch ${current.epoch + 1}, batch ${current.batch} of ${current.batches})`;
}

/** Yields to the worker's message queue without setTimeout's 4 ms clamp. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

async function trainLoop(): Promise<void> {
  const mine = generation;
  while (state === 'running' && run !== null && mine === generation) {
    const current = run;
    const started = performance.now();
    let loss = 0;
    do {
      loss = trainBatch(current);
      if (current.epoch >= current.config.epochs || !Number.isFinite(loss)) break;
    } while (performance.now() - started < sliceMilliseconds);
    if (!Number.isFinite(loss)) {
      diverged(current);
      return;
    }
    postProgress(current, loss);
    if (current.epoch >= current.config.epochs) {
      sendModel(current, trainingLabel(current));
      setState('done');
      return;
    }
    if (performance.now() - current.lastModelSent > modelEveryMilliseconds) sendModel(current, trainingLabel(current));
    await yieldToMessages();
  }
}

/** Stops a run whose loss became NaN or infinite: its weights are useless from here on. */
function diverged(current: Run): void {
  post({
    type: 'error',
    message: `training diverged at epoch ${current.epoch + 1}, batch ${current.batch}: the loss is no longer a number. Lower the learning rate, then press Reset.`,
  });
  setState('failed');
}

function fail(error: unknown): void {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  setState('failed');
}

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'configure':
      await configure(request.config, request.dataUrl, request.backend);
      return;
    case 'start':
      if (run === null || (state !== 'ready' && state !== 'paused')) return;
      setState('running');
      // Not awaited: the loop yields between slices, and the queue must move on to later requests.
      trainLoop().catch(fail);
      return;
    case 'pause':
      if (state !== 'running' || run === null) return;
      setState('paused');
      sendModel(run, trainingLabel(run));
      return;
    case 'step': {
      if (run === null || (state !== 'ready' && state !== 'paused')) return;
      const loss = trainBatch(run);
      if (!Number.isFinite(loss)) {
        diverged(run);
        return;
      }
      flushTrainPoint(run, run.epoch + run.batch / run.batches);
      postProgress(run, loss);
      sendModel(run, trainingLabel(run));
      setState(run.epoch >= run.config.epochs ? 'done' : 'paused');
      return;
    }
    case 'evaluate': {
      if (run === null) return;
      const { model } = loadModel(request.modelText, 'model');
      evaluateTest(run, null, model);
      return;
    }
    case 'misclassified': {
      if (run === null || run.lastPredictions === null) return;
      const indices: number[] = [];
      const { labels } = run.test;
      for (let i = 0; i < run.test.count && indices.length < request.limit; i++) {
        if (labels[i] === request.actual && run.lastPredictions[i] === request.predicted) indices.push(i);
      }
      const images = new Float32Array(indices.length * 784);
      indices.forEach((index, slot) => {
        for (let p = 0; p < 784; p++) images[slot * 784 + p] = run!.test.images[index * 784 + p] / 255;
      });
      post({ type: 'misclassified', actual: request.actual, predicted: request.predicted, images, indices }, [images.buffer]);
      return;
    }
    case 'distortions': {
      const data = await mnist;
      if (data === null) return;
      const spec = parseAugmentSpec(request.spec === '' ? suggestedDistortions : request.spec);
      const rng = createRng(request.seed).fork('preview');
      const index = request.index % data.train.count;
      const original = data.train.images.subarray(index * 784, (index + 1) * 784);
      const bytes = new Uint8Array(784 * request.count);
      bytes.set(original);
      for (let i = 1; i < request.count; i++) distortImage(original, bytes, spec, rng, [28, 28, 1], 0, i * 784);
      const images = Float32Array.from(bytes, (value) => value / 255);
      post({ type: 'distortions', images, count: request.count }, [images.buffer]);
      return;
    }
    case 'sample': {
      const data = await mnist;
      if (data === null) return;
      const index = request.index % data.test.count;
      const image = new Float32Array(784);
      for (let p = 0; p < 784; p++) image[p] = data.test.images[index * 784 + p] / 255;
      post({ type: 'sample', image, label: data.test.labels[index] }, [image.buffer]);
      return;
    }
  }
}

// Requests run one after another (a step sent right after a configure waits for the network to
// exist); pause goes straight through, so it stops a running loop at its next slice.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'pause') {
    handle(request).catch(fail);
    return;
  }
  queue = queue.then(() => handle(request)).catch(fail);
};
