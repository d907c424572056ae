// The training worker: loads MNIST, builds the network from the page's configuration and trains
// it with @nnkit/train's `fit`, on this thread alone or data-parallel over replica workers
// (`threads` > 1, cross-origin isolated pages only). Pause is `fit`'s abort signal plus its
// checkpoint, Resume is `fit` again from that checkpoint, so a paused and resumed run ends with
// the same weights as an uninterrupted one.
import type { Dataset } from '@nnkit/datasets';
import { type Kernels, createRng, jsKernels } from '@nnkit/tensor';
import { type PlaygroundConfig, maxParameters, suggestedDistortions } from './config.js';
import { type BackendRequest, loadKernels } from './kernels.js';
import { buildDefinition } from './model-definition.js';
import {
  type AugmentHook,
  type BatchEndInfo,
  type CheckpointState,
  type EpochRecord,
  type Optimizer,
  Sequential,
  buildSequential,
  TrainingDivergedError,
  confusionMatrix,
  createDataset,
  createOptimizer,
  distortImage,
  distortionHook,
  evaluate,
  evaluateParallel,
  fetchMnist,
  fit,
  loadModel,
  parseAugmentSpec,
  saveModel,
  sliceDataset,
  webWorkers,
} from './nnkit.js';
import type { RunState, WorkerMessage, WorkerRequest } from './protocol.js';
import { maxThreads } from './threads.js';

const post = (message: WorkerMessage, transfer: Transferable[] = []): void => {
  (self as unknown as { postMessage(message: unknown, transfer: Transferable[]): void }).postMessage(message, transfer);
};

/** How often progress goes to the page while training (ms). */
const progressEveryMilliseconds = 50;
/** Training-curve points per epoch; test evaluations per epoch. */
const trainPointsPerEpoch = 25;
const evaluationsPerEpoch = 4;
/** Test images scored at the quarter-epoch evaluations (the epoch-end ones score them all). */
const quickTestImages = 1000;
/** How often a running worker sends the model to the page (ms), so predictions follow training. */
const modelEveryMilliseconds = 1000;
/** The shortest stretch of training an images/s reading is taken over (ms). */
const speedWindowMilliseconds = 250;

/** Replica threads for data-parallel training: each runs `serveTrainWorker` from @nnkit/train/worker. */
const replicas = webWorkers(() => new Worker(new URL('./replica-worker.ts', import.meta.url), { type: 'module', name: 'nnkit replica' }));
/** SharedArrayBuffer exists only in a cross-origin isolated context (COOP/COEP headers on every file). */
const isolated = typeof SharedArrayBuffer !== 'undefined' && (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

interface Run {
  config: PlaygroundConfig;
  model: Sequential;
  optimizer: Optimizer;
  train: Dataset;
  test: Dataset;
  augment: AugmentHook | undefined;
  /** Where a paused run goes on from (`fit`'s checkpoint at its abort); null before the first batch. */
  checkpoint: CheckpointState | null;
  /** Epochs finished and batches of the current epoch finished. */
  epoch: number;
  batch: number;
  batches: number;
  imagesSeen: number;
  // Epoch totals (loss · images, right answers, images) at the last curve point.
  pointLoss: number;
  pointCorrect: number;
  pointSeen: number;
  lastModelSent: number;
  lastProgressSent: number;
  lastPredictions: Uint8Array | null;
  // Training speed: images and milliseconds of training alone (evaluations and messages left out).
  imagesPerSecond: number;
  windowImages: number;
  windowMilliseconds: number;
  trainImages: number;
  trainMilliseconds: number;
  /** End of the last bookkeeping, where the next batch's time starts; null right after `fit` starts its workers. */
  batchStarted: number | null;
  lastLoss: number;
  threads: number;
}

let kernels: Kernels = jsKernels;
let kernelNote = '';
let kernelsChosen: BackendRequest | null = null;
/** The 60 000 training and 10 000 test digits, fetched once. */
let mnist: Promise<{ train: Dataset; test: Dataset }> | null = null;
let run: Run | null = null;
let state: RunState = 'loading';
let generation = 0;
/** Threads the page asks for (the effective count is also capped by isolation and the batch size). */
let requestedThreads = 1;
/** The `fit` call in progress: its abort signal and its end. */
let active: { signal: { aborted: boolean }; done: Promise<void> } | null = null;

function setState(next: RunState): void {
  state = next;
  post({ type: 'state', state: next });
}

/** Threads a run uses, and why fewer than asked when so. */
function threadsFor(batchSize: number): { threads: number; note: string } {
  const wanted = Math.max(1, Math.min(maxThreads, Math.floor(requestedThreads)));
  if (wanted > 1 && !isolated) return { threads: 1, note: 'one thread: the page is not cross-origin isolated, so there is no SharedArrayBuffer' };
  if (wanted > batchSize) return { threads: batchSize, note: `${batchSize}: no more threads than images in a batch` };
  return { threads: wanted, note: '' };
}

/** Copies the bytes into shared memory when threads can use it, so no run copies them again. */
function shareable(dataset: Dataset): Dataset {
  if (!isolated) return dataset;
  const images = new Uint8Array(new SharedArrayBuffer(dataset.images.length));
  images.set(dataset.images);
  const labels = new Uint8Array(new SharedArrayBuffer(dataset.labels.length));
  labels.set(dataset.labels);
  return createDataset({ images, labels, imageShape: dataset.imageShape, name: dataset.name });
}

async function stopTraining(): Promise<void> {
  if (active === null) return;
  active.signal.aborted = true;
  await active.done;
}

async function configure(config: PlaygroundConfig, dataUrl: string, backend: BackendRequest): Promise<void> {
  const mine = ++generation;
  await stopTraining();
  setState('loading');
  if (kernelsChosen !== backend) {
    ({ kernels, note: kernelNote } = await loadKernels(backend));
    kernelsChosen = backend;
  }
  if (mnist === null) {
    post({ type: 'status', text: 'Downloading MNIST (11 MB)…' });
    // Served gzipped next to the page (scripts/mnist-assets.ts); DecompressionStream unpacks them.
    mnist = fetchMnist(dataUrl, { gzip: true }).then(({ train, test }) => ({ train: shareable(train), test: shareable(test) }));
    mnist.catch(() => (mnist = null));
  }
  const data = await mnist;
  if (mine !== generation) return;
  const rng = createRng(config.seed);
  const model = buildSequential(buildDefinition(config), rng.fork('init'), maxParameters);
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
    augment: config.distortions === '' ? undefined : distortionHook(parseAugmentSpec(config.distortions)),
    checkpoint: null,
    epoch: 0,
    batch: 0,
    batches: Math.ceil(train.count / config.batchSize),
    imagesSeen: 0,
    pointLoss: 0,
    pointCorrect: 0,
    pointSeen: 0,
    lastModelSent: 0,
    lastProgressSent: 0,
    lastPredictions: null,
    imagesPerSecond: 0,
    windowImages: 0,
    windowMilliseconds: 0,
    trainImages: 0,
    trainMilliseconds: 0,
    batchStarted: null,
    lastLoss: NaN,
    threads: 1,
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
  post({ type: 'threads', ...threadsFor(config.batchSize) });
  setState('ready');
}

/** After each mini-batch: speed, curve points, quick evaluations, progress and model messages. */
function afterBatch(current: Run, info: BatchEndInfo, signal: { aborted: boolean }, stopAfterOne: boolean): void {
  const arrived = performance.now();
  const { batchSize } = current.config;
  const seen = info.batch === info.batches ? current.train.count : info.batch * batchSize;
  const rows = seen - (info.batch - 1) * batchSize;
  current.epoch = info.epoch - 1;
  current.batch = info.batch;
  current.imagesSeen += rows;
  current.lastLoss = info.batchLoss;
  // The first batch of a `fit` call also paid for starting the replica threads: not counted.
  if (current.batchStarted !== null) {
    const milliseconds = arrived - current.batchStarted;
    current.windowImages += rows;
    current.windowMilliseconds += milliseconds;
    current.trainImages += rows;
    current.trainMilliseconds += milliseconds;
    if (current.windowMilliseconds >= speedWindowMilliseconds) {
      const rate = (1000 * current.windowImages) / current.windowMilliseconds;
      current.imagesPerSecond = current.imagesPerSecond === 0 ? rate : 0.7 * current.imagesPerSecond + 0.3 * rate;
      current.windowImages = 0;
      current.windowMilliseconds = 0;
    }
  }

  // `fit` reports running means over the epoch; a curve point is the mean since the last one.
  const position = current.epoch + info.batch / info.batches;
  const pointEvery = Math.max(1, Math.round(info.batches / trainPointsPerEpoch));
  const lossTotal = info.loss * seen;
  const correctTotal = info.accuracy * seen;
  if ((info.batch % pointEvery === 0 || info.batch === info.batches || stopAfterOne) && seen > current.pointSeen) {
    const count = seen - current.pointSeen;
    post({ type: 'trainPoint', position, loss: (lossTotal - current.pointLoss) / count, accuracy: (correctTotal - current.pointCorrect) / count });
    current.pointLoss = lossTotal;
    current.pointCorrect = correctTotal;
    current.pointSeen = seen;
  }
  if (info.batch === info.batches) {
    current.pointLoss = 0;
    current.pointCorrect = 0;
    current.pointSeen = 0;
  }
  // Between epoch ends a quick look at the first test images keeps the curve moving cheaply.
  const evaluationEvery = info.batches >= 40 ? Math.round(info.batches / evaluationsPerEpoch) : info.batches;
  if (info.batch % evaluationEvery === 0 && info.batch !== info.batches) evaluateQuick(current, position);

  if (stopAfterOne) signal.aborted = true;
  const now = performance.now();
  if (now - current.lastProgressSent >= progressEveryMilliseconds || info.batch === info.batches || stopAfterOne) postProgress(current);
  if (now - current.lastModelSent > modelEveryMilliseconds && !stopAfterOne) sendModel(current, trainingLabel(current));
  current.batchStarted = performance.now();
}

function evaluateQuick(current: Run, position: number): void {
  const limit = Math.min(quickTestImages, current.test.count);
  const result = evaluate(current.model, current.test, { kernels, batchSize: 250, indices: Int32Array.from({ length: limit }, (_, i) => i) });
  post({ type: 'evaluation', position, loss: result.loss, accuracy: result.accuracy, count: result.count, confusion: null });
}

/** Scores the whole test slice (over the run's threads), keeping the predictions for the confusion matrix. */
async function evaluateFull(current: Run, position: number | null, model: Sequential, threads: number): Promise<void> {
  const options = { kernels, batchSize: 250 };
  const result = threads > 1 ? await evaluateParallel(model, current.test, { ...options, threads, parallel: replicas }) : evaluate(model, current.test, options);
  if (model === current.model) current.lastPredictions = result.predictions;
  post({
    type: 'evaluation',
    position,
    loss: result.loss,
    accuracy: result.accuracy,
    count: result.count,
    confusion: confusionMatrix(current.test.labels, result.predictions, 10),
  });
}

function postProgress(current: Run): void {
  current.lastProgressSent = performance.now();
  post({
    type: 'progress',
    epoch: current.epoch,
    batch: current.batch,
    batches: current.batches,
    position: current.epoch + current.batch / current.batches,
    loss: current.lastLoss,
    imagesPerSecond: current.imagesPerSecond,
    imagesSeen: current.imagesSeen,
    trainImages: current.trainImages,
    trainSeconds: current.trainMilliseconds / 1000,
    threads: current.threads,
  });
}

function sendModel(current: Run, label: string): void {
  current.lastModelSent = performance.now();
  post({ type: 'model', text: saveModel(current.model, { meta: { config: current.config, epoch: current.epoch, batch: current.batch } }), label });
}

function trainingLabel(current: Run): string {
  if (current.batch === 0 || current.batch === current.batches) {
    const epochs = current.batch === 0 ? current.epoch : current.epoch + 1;
    return `the network trained here (${epochs} epoch${epochs === 1 ? '' : 's'})`;
  }
  return `the network being trained here (epoch ${current.epoch + 1}, batch ${current.batch} of ${current.batches})`;
}

/**
 * Trains `current` from where it stands until the last epoch, an abort (Pause, Reset) or, with
 * `stopAfterOne`, one mini-batch. Resolves once `fit` has returned and its threads have stopped.
 */
async function train(current: Run, stopAfterOne: boolean): Promise<void> {
  const mine = generation;
  const signal = { aborted: false };
  const { threads, note } = threadsFor(current.config.batchSize);
  current.threads = threads;
  post({ type: 'threads', threads, note });
  current.batchStarted = null;
  let finish = (): void => {};
  active = { signal, done: new Promise<void>((resolve) => (finish = resolve)) };
  try {
    const result = await fit(current.model, { train: current.train }, {
      epochs: current.config.epochs,
      batchSize: current.config.batchSize,
      optimizer: current.optimizer,
      seed: current.config.seed,
      kernels,
      ...(current.augment === undefined ? {} : { augment: current.augment }),
      ...(current.checkpoint === null ? {} : { resume: current.checkpoint }),
      signal,
      evaluationBatchSize: 250,
      checkpoint: { every: 'epoch', save: (checkpoint) => void (current.checkpoint = checkpoint) },
      ...(threads > 1 ? { threads, parallel: replicas } : {}),
      onBatchEnd: (info) => afterBatch(current, info, signal, stopAfterOne),
      onEpochEnd: async (record: EpochRecord) => {
        current.epoch = record.epoch;
        current.batch = 0;
        await evaluateFull(current, record.epoch, current.model, threads);
        current.batchStarted = performance.now();
      },
    });
    if (mine !== generation) return;
    postProgress(current);
    sendModel(current, trainingLabel(current));
    setState(result.stopReason === 'aborted' && current.epoch < current.config.epochs ? 'paused' : 'done');
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof TrainingDivergedError) {
      post({
        type: 'error',
        message: `training diverged at epoch ${error.epoch}, batch ${error.batch}: the loss is no longer a number. Lower the learning rate, then press Reset.`,
      });
      setState('failed');
    } else {
      fail(error);
    }
  } finally {
    active = null;
    finish();
  }
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
    case 'threads':
      requestedThreads = request.threads;
      // A run that is not training shows the count its next Start or Resume will use.
      if (run !== null && state !== 'running') post({ type: 'threads', ...threadsFor(run.config.batchSize) });
      return;
    case 'start':
      if (run === null || (state !== 'ready' && state !== 'paused')) return;
      setState('running');
      // Not awaited: `fit` yields now and then, and the queue must move on to later requests.
      void train(run, false);
      return;
    case 'pause':
      if (state === 'running' && active !== null) active.signal.aborted = true;
      return;
    case 'step':
      if (run === null || (state !== 'ready' && state !== 'paused')) return;
      setState('running');
      await train(run, true);
      return;
    case 'evaluate': {
      if (run === null) return;
      const { model } = loadModel(request.modelText, 'model');
      await evaluateFull(run, null, model, threadsFor(run.config.batchSize).threads);
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
      post({ type: 'sample', image, label: data.test.labels[index], index }, [image.buffer]);
      return;
    }
  }
}

// Requests run one after another (a step sent right after a configure waits for the network to
// exist); pause and the thread count go straight through, so Pause stops a running `fit` at
// its next mini-batch.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'pause' || request.type === 'threads') {
    handle(request).catch(fail);
    return;
  }
  queue = queue.then(() => handle(request)).catch(fail);
};
