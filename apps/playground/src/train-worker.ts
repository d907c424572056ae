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
  type DivergenceWatch,
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
  divergenceAdvice,
  divergenceOf,
  distortionHook,
  evaluate,
  evaluateWithTta,
  evaluateWithTtaParallel,
  fetchMnistSplit,
  fit,
  loadModel,
  parseAugmentSpec,
  saveModel,
  sliceDataset,
  watchBatch,
  webWorkers,
} from './nnkit.js';
import { type RunState, type WorkerMessage, type WorkerRequest, postToPage } from './protocol.js';
import { maxThreads } from './threads.js';
import { fineTune } from './tune.js';

const post: (message: WorkerMessage, transfer?: Transferable[]) => void = postToPage;

/** How often progress goes to the page while training (ms). */
const progressEveryMilliseconds = 200;
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
  id: number;
  config: PlaygroundConfig;
  model: Sequential;
  optimizer: Optimizer;
  /** The training images, fetched at the first Start or Step (null until then). */
  train: Dataset | null;
  trainCount: number;
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
  // Training speed: images and milliseconds of training alone (evaluations and messages left out).
  imagesPerSecond: number;
  windowImages: number;
  windowMilliseconds: number;
  trainImages: number;
  trainMilliseconds: number;
  /** End of the last bookkeeping, where the next batch's time starts; null right after `fit` starts its workers. */
  batchStarted: number | null;
  lastLoss: number;
  lastMeanLoss: number;
  threads: number;
  /** Milliseconds on the wall while training (pauses left out), and when the current stretch began. */
  elapsedMilliseconds: number;
  stretchStarted: number | null;
  /** The divergence watch over every mini-batch, the epoch's right answers so far, and whether a warning went out. */
  watch: DivergenceWatch | null;
  epochCorrect: number;
  warned: boolean;
  /** Set when the run is stopped for diverging: the message the page shows. */
  diverged: string | null;
  /** The test accuracy of the run's model at its latest full evaluation (null before one). */
  lastTestAccuracy: number | null;
}

/** Predictions on the test slice per model key (the page's models and the run's evaluations), a few kept. */
const predictionsByModel = new Map<string, { testCount: number; predictions: Uint8Array }>();
function keepPredictions(modelKey: string, testCount: number, predictions: Uint8Array): void {
  predictionsByModel.delete(modelKey);
  predictionsByModel.set(modelKey, { testCount, predictions });
  while (predictionsByModel.size > 6) predictionsByModel.delete(predictionsByModel.keys().next().value!);
}

/** The key of the run's network as it stands: it changes with every image trained. */
const runModelKey = (current: Run): string => `run${current.id}-${current.imagesSeen}`;

let kernels: Kernels = jsKernels;
let kernelNote = '';
let kernelsChosen: BackendRequest | null = null;
/**
 * The 10 000 test digits, fetched at the first network (the confusion matrix of the model in
 * use needs them), and the 60 000 training digits, fetched when training first needs them.
 */
let testImages: Promise<Dataset> | null = null;
let trainImages: Promise<Dataset> | null = null;
/** MNIST's training set size, known before it is downloaded. */
const mnistTrainCount = 60000;
let dataUrlInUse = '';

/** One MNIST split, served gzipped next to the page (scripts/mnist-assets.ts); fetched once. */
function mnistSplit(split: 'train' | 'test'): Promise<Dataset> {
  const loading = fetchMnistSplit(dataUrlInUse, split, { gzip: true }).then(shareable);
  loading.catch(() => {
    if (split === 'train') trainImages = null;
    else testImages = null;
  });
  return loading;
}
let run: Run | null = null;
let state: RunState = 'loading';
let generation = 0;
/** Threads the page asks for (the effective count is also capped by isolation and the batch size). */
let requestedThreads = 1;
/** The `fit` call in progress: its abort signal and its end. */
let active: { signal: { aborted: boolean }; done: Promise<void> } | null = null;

function setState(next: RunState): void {
  state = next;
  if (run !== null || next === 'loading') post({ type: 'state', runId: run?.id ?? pendingRunId, state: next });
}
/** The run being configured (its id goes with the loading messages). */
let pendingRunId = 0;

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

async function configure(runId: number, config: PlaygroundConfig, dataUrl: string, backend: BackendRequest): Promise<void> {
  const mine = ++generation;
  await stopTraining();
  run = null;
  pendingRunId = runId;
  setState('loading');
  if (kernelsChosen !== backend) {
    ({ kernels, note: kernelNote } = await loadKernels(backend));
    kernelsChosen = backend;
  }
  dataUrlInUse = dataUrl;
  if (testImages === null) {
    post({ type: 'status', runId, text: 'Downloading the MNIST test images (1.6 MB)…' });
    testImages = mnistSplit('test');
  }
  const testSet = await testImages;
  if (mine !== generation) return;
  const rng = createRng(config.seed);
  const model = buildSequential(buildDefinition(config), rng.fork('init'), maxParameters);
  const trainCount = Math.min(config.trainSize, mnistTrainCount);
  const test = sliceDataset(testSet, 0, Math.min(config.testSize, testSet.count), 'mnist:test');
  const optimizer = createOptimizer({
    kind: config.optimizer,
    learningRate: config.learningRate,
    l2: config.l2,
    trainingSize: trainCount,
  });
  run = {
    id: runId,
    config,
    model,
    optimizer,
    train: null,
    trainCount,
    test,
    augment: config.distortions === '' ? undefined : distortionHook(parseAugmentSpec(config.distortions)),
    checkpoint: null,
    epoch: 0,
    batch: 0,
    batches: Math.ceil(trainCount / config.batchSize),
    imagesSeen: 0,
    pointLoss: 0,
    pointCorrect: 0,
    pointSeen: 0,
    lastModelSent: 0,
    lastProgressSent: 0,
    imagesPerSecond: 0,
    windowImages: 0,
    windowMilliseconds: 0,
    trainImages: 0,
    trainMilliseconds: 0,
    batchStarted: null,
    lastLoss: NaN,
    lastMeanLoss: NaN,
    threads: 1,
    elapsedMilliseconds: 0,
    stretchStarted: null,
    watch: null,
    epochCorrect: 0,
    warned: false,
    diverged: null,
    lastTestAccuracy: null,
  };
  post({
    type: 'ready',
    runId,
    backend: kernels.name,
    backendNote: kernelNote,
    trainCount,
    testCount: test.count,
    summary: model.formatSummary(),
    parameterCount: model.params.reduce((sum, param) => sum + param.value.data.length, 0),
    batches: run.batches,
  });
  sendModel(run);
  post({ type: 'threads', ...threadsFor(config.batchSize) });
  setState('ready');
}

/** After each mini-batch: speed, curve points, quick evaluations, progress and model messages. */
function afterBatch(current: Run, info: BatchEndInfo, signal: { aborted: boolean }, stopAfterOne: boolean): void {
  const arrived = performance.now();
  const { batchSize } = current.config;
  const seen = info.batch === info.batches ? current.trainCount : info.batch * batchSize;
  const rows = seen - (info.batch - 1) * batchSize;
  current.epoch = info.epoch - 1;
  current.batch = info.batch;
  current.imagesSeen += rows;
  current.lastLoss = info.batchLoss;
  current.lastMeanLoss = info.loss;
  // A learning rate changed live applies from the next mini-batch (a resumed checkpoint restores
  // the old one). A schedule sets the rate itself: the run's rate is then its starting rate.
  if (current.config.schedule === '') current.optimizer.learningRate = current.config.learningRate;
  const epochCorrect = Math.round(info.accuracy * seen);
  if (info.batch === 1) current.epochCorrect = 0;
  current.watch = watchBatch(current.watch, { loss: info.batchLoss, correct: epochCorrect - current.epochCorrect, rows });
  current.epochCorrect = epochCorrect;
  watchDivergence(current, signal);
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
    post({ type: 'trainPoint', runId: current.id, position, loss: (lossTotal - current.pointLoss) / count, accuracy: (correctTotal - current.pointCorrect) / count });
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
  if (now - current.lastModelSent > modelEveryMilliseconds && !stopAfterOne) sendModel(current);
  current.batchStarted = performance.now();
}

function evaluateQuick(current: Run, position: number): void {
  const limit = Math.min(quickTestImages, current.test.count);
  const result = evaluate(current.model, current.test, { kernels, batchSize: 250, indices: Int32Array.from({ length: limit }, (_, i) => i) });
  post({ type: 'evaluation', runId: current.id, modelKey: runModelKey(current), position, loss: result.loss, accuracy: result.accuracy, count: result.count, confusion: null });
}

/** Stops an exploding run, warns once of one stuck at chance; the page shows what to change. */
function watchDivergence(current: Run, signal: { aborted: boolean }): void {
  if (current.watch === null) return;
  const verdict = divergenceOf(current.watch, 10);
  if (verdict === null || verdict.kind === 'nonFinite') return;
  const advice = divergenceAdvice(verdict.kind, current.config.learningRate);
  if (verdict.kind === 'exploding') {
    current.diverged = `training diverged at epoch ${current.epoch + 1}, batch ${current.batch}: ${verdict.message}. To train, ${advice}, then press Start.`;
    signal.aborted = true;
    post({ type: 'divergence', runId: current.id, text: current.diverged, stopped: true });
  } else if (!current.warned) {
    current.warned = true;
    post({ type: 'divergence', runId: current.id, text: `This network is not learning: ${verdict.message}. ${advice[0].toUpperCase()}${advice.slice(1)}, then press Reset.`, stopped: false });
  }
}

/**
 * Scores the whole test slice (over the run's threads) over the setup's test-time views (one
 * view: `evaluate` itself), keeping the predictions for the confusion matrix.
 */
async function evaluateFull(current: Run, position: number | null, model: Sequential, threads: number, modelKey: string): Promise<void> {
  const options = { kernels, batchSize: 250, views: current.config.tta };
  const result = threads > 1 ? await evaluateWithTtaParallel(model, current.test, { ...options, threads, parallel: replicas }) : evaluateWithTta(model, current.test, options);
  keepPredictions(modelKey, current.test.count, result.predictions);
  if (model === current.model) current.lastTestAccuracy = result.accuracy;
  post({
    type: 'evaluation',
    ...(model === current.model ? { runId: current.id } : {}),
    modelKey,
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
    runId: current.id,
    epoch: current.epoch,
    batch: current.batch,
    batches: current.batches,
    position: current.epoch + current.batch / current.batches,
    loss: current.lastLoss,
    meanLoss: current.lastMeanLoss,
    imagesPerSecond: current.imagesPerSecond,
    imagesSeen: current.imagesSeen,
    trainImages: current.trainImages,
    trainSeconds: current.trainMilliseconds / 1000,
    elapsedSeconds: (current.elapsedMilliseconds + (current.stretchStarted === null ? 0 : performance.now() - current.stretchStarted)) / 1000,
    threads: current.threads,
    learningRate: current.optimizer.learningRate,
  });
}

/**
 * Scores the averaged weights `fit` left in the model and sends them as the run's model (their
 * own key, so the page does not take the last weights' score for theirs); returns the note the
 * page shows beside the last weights' score.
 */
async function scoreAveraged(current: Run, threads: number): Promise<string> {
  const last = current.lastTestAccuracy;
  const modelKey = `${runModelKey(current)}-ema`;
  post({ type: 'status', runId: current.id, text: `Scoring the average of the weights (EMA, decay ${current.config.ema})…` });
  sendModel(current, modelKey);
  await evaluateFull(current, null, current.model, threads, modelKey);
  return `The model is the average of the weights (EMA, decay ${current.config.ema}); the last weights scored ${last === null ? '–' : `${(last * 100).toFixed(2)} %`}.`;
}

function sendModel(current: Run, modelKey = runModelKey(current)): void {
  current.lastModelSent = performance.now();
  // `testTimeViews` as `nnkit train --tta` records it, so `nnkit eval` scores the views the page did.
  const views = current.config.tta > 1 ? { testTimeViews: current.config.tta } : {};
  const text = saveModel(current.model, { meta: { config: current.config, epoch: current.epoch, batch: current.batch, ...views } });
  post({ type: 'model', runId: current.id, modelKey, text });
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
  current.stretchStarted = performance.now();
  let finish = (): void => {};
  active = { signal, done: new Promise<void>((resolve) => (finish = resolve)) };
  try {
    if (current.train === null) {
      // The training images come when training first needs them, not with the page.
      if (trainImages === null) {
        post({ type: 'status', runId: current.id, text: 'Downloading the MNIST training images (9.8 MB)…' });
        trainImages = mnistSplit('train');
      }
      const all = await trainImages;
      if (mine !== generation) return;
      current.train = sliceDataset(all, 0, current.trainCount, 'mnist:train');
      if (signal.aborted) {
        endStretch(current);
        setState(current.batch === 0 && current.epoch === 0 && current.checkpoint === null ? 'ready' : 'paused');
        return;
      }
      current.batchStarted = null;
    }
    // `fit` starts the schedule from the optimizer's rate, which after a pause is the schedule's
    // last one: the run's own rate again, so a resumed run follows the same schedule (the
    // checkpoint then restores the optimizer's rate and the schedule's position).
    current.optimizer.learningRate = current.config.learningRate;
    const result = await fit(current.model, { train: current.train }, {
      epochs: current.config.epochs,
      batchSize: current.config.batchSize,
      optimizer: current.optimizer,
      ...(current.config.schedule === '' ? {} : { schedule: current.config.schedule }),
      seed: current.config.seed,
      kernels,
      ...(current.augment === undefined ? {} : { augment: current.augment }),
      // The average lives in the checkpoint too, so a paused run resumes it.
      ...(current.config.ema > 0 ? { averaging: { kind: 'ema', decay: current.config.ema } } : {}),
      ...(current.checkpoint === null ? {} : { resume: current.checkpoint }),
      signal,
      evaluationBatchSize: 250,
      checkpoint: { every: 'epoch', save: (checkpoint) => void (current.checkpoint = checkpoint) },
      ...(threads > 1 ? { threads, parallel: replicas } : {}),
      onBatchEnd: (info) => afterBatch(current, info, signal, stopAfterOne),
      onEpochEnd: async (record: EpochRecord) => {
        current.epoch = record.epoch;
        current.batch = 0;
        // The model first, so the evaluation that follows finds the page's copy by its key.
        sendModel(current);
        await evaluateFull(current, record.epoch, current.model, threads, runModelKey(current));
        current.batchStarted = performance.now();
      },
    });
    if (mine !== generation) return;
    endStretch(current);
    postProgress(current);
    // `fit` ended with the average of the weights in the model: it is scored and sent as a model
    // of its own (the last epoch's score was the last weights').
    const averaged = result.averaged !== undefined && current.diverged === null ? await scoreAveraged(current, threads) : null;
    if (mine !== generation) return;
    if (averaged === null) sendModel(current);
    if (current.diverged !== null) {
      post({ type: 'error', runId: current.id, message: current.diverged });
      setState('failed');
      return;
    }
    setState(result.stopReason === 'aborted' && current.epoch < current.config.epochs ? 'paused' : 'done');
    if (averaged !== null) post({ type: 'status', runId: current.id, text: averaged });
  } catch (error) {
    if (mine !== generation) return;
    endStretch(current);
    if (error instanceof TrainingDivergedError) {
      post({
        type: 'error',
        runId: current.id,
        message: `training diverged at epoch ${error.epoch}, batch ${error.batch}: the loss is no longer a number. To train, ${divergenceAdvice('nonFinite', current.config.learningRate)}, then press Start.`,
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

function endStretch(current: Run): void {
  if (current.stretchStarted !== null) current.elapsedMilliseconds += performance.now() - current.stretchStarted;
  current.stretchStarted = null;
}

function fail(error: unknown): void {
  post({ type: 'error', ...(run === null ? {} : { runId: run.id }), message: error instanceof Error ? error.message : String(error) });
  setState('failed');
}

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'configure':
      await configure(request.runId, request.config, request.dataUrl, request.backend);
      return;
    case 'learningRate':
      // Under a schedule the rate is the schedule's starting rate, fixed for the run.
      if (run !== null && run.config.schedule === '') run.config = { ...run.config, learningRate: request.learningRate };
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
      await evaluateFull(run, null, model, threadsFor(run.config.batchSize).threads, request.modelKey);
      return;
    }
    case 'misclassified': {
      // The digits of the model whose matrix the page shows, scored on the current test slice.
      const scored = predictionsByModel.get(request.modelKey);
      if (run === null || scored === undefined || scored.testCount !== run.test.count) {
        post({ type: 'misclassified', modelKey: request.modelKey, actual: request.actual, predicted: request.predicted, images: new Float32Array(0), indices: [] });
        return;
      }
      const indices: number[] = [];
      const { labels } = run.test;
      for (let i = 0; i < run.test.count && indices.length < request.limit; i++) {
        if (labels[i] === request.actual && scored.predictions[i] === request.predicted) indices.push(i);
      }
      const images = new Float32Array(indices.length * 784);
      indices.forEach((index, slot) => {
        for (let p = 0; p < 784; p++) images[slot * 784 + p] = run!.test.images[index * 784 + p] / 255;
      });
      post({ type: 'misclassified', modelKey: request.modelKey, actual: request.actual, predicted: request.predicted, images, indices }, [images.buffer]);
      return;
    }
    case 'distortions': {
      // A test digit: the preview needs no training images.
      if (testImages === null) return;
      const data = await testImages;
      const spec = parseAugmentSpec(request.spec === '' ? suggestedDistortions : request.spec);
      const rng = createRng(request.seed).fork('preview');
      const index = request.index % data.count;
      const original = data.images.subarray(index * 784, (index + 1) * 784);
      const bytes = new Uint8Array(784 * request.count);
      bytes.set(original);
      for (let i = 1; i < request.count; i++) distortImage(original, bytes, spec, rng, [28, 28, 1], 0, i * 784);
      const images = Float32Array.from(bytes, (value) => value / 255);
      post({ type: 'distortions', images, count: request.count }, [images.buffer]);
      return;
    }
    case 'fineTune': {
      // The MNIST training images the runs use, fetched once for both.
      try {
        if (dataUrlInUse === '') dataUrlInUse = request.dataUrl;
        if (trainImages === null) {
          post({ type: 'tuneStatus', tuneId: request.tuneId, text: 'Downloading the MNIST training images (9.8 MB)…' });
          trainImages = mnistSplit('train');
        }
        const mnist = await trainImages;
        let lastSent = 0;
        const text = await fineTune(request.baseText, request, mnist, request.settings, kernels, (progress) => {
          const now = performance.now();
          if (now - lastSent < progressEveryMilliseconds && progress.batch !== progress.batches) return;
          lastSent = now;
          post({ type: 'tuneProgress', tuneId: request.tuneId, ...progress });
        });
        post({ type: 'tuned', tuneId: request.tuneId, text });
      } catch (error) {
        post({ type: 'tuneFailed', tuneId: request.tuneId, message: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    case 'sample': {
      if (testImages === null) return;
      const data = await testImages;
      const index = request.index % data.count;
      const image = new Float32Array(784);
      for (let p = 0; p < 784; p++) image[p] = data.images[index * 784 + p] / 255;
      post({ type: 'sample', image, label: data.labels[index], index }, [image.buffer]);
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
  if (request.type === 'pause' || request.type === 'threads' || request.type === 'learningRate') {
    handle(request).catch(fail);
    return;
  }
  queue = queue.then(() => handle(request)).catch(fail);
};
