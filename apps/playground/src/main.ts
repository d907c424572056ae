// The playground page: wires the drawing pad, the training worker, the charts, the inspector
// and the model files together. State lives here; every view is a function of it.
import './style.css';
import { createRng } from '@nnkit/tensor';
import { ArchitectureEditor } from './architecture-editor.js';
import { TrainingCharts } from './charts.js';
import { type PlaygroundConfig, decodeConfig, defaultConfig, encodeConfig, lossKinds, maxParameters, normalizeDistortions, optimizerKinds } from './config.js';
import { DrawPad, padSize } from './draw-pad.js';
import { drawGray } from './image-render.js';
import { renderConfusion, renderDigits, renderFeatureMaps, renderWeights } from './inspector.js';
import type { BackendRequest } from './kernels.js';
import { buildDefinition } from './model-definition.js';
import { Sequential, buildSequential, loadModel, preprocessDigit, saveModel } from './nnkit.js';
import { addInteropFiles } from './interop-files.js';
import { type Prediction, predictImage } from './predict.js';
import { playgroundPresets } from './presets.js';
import { ProbabilityBars } from './probability-bars.js';
import type { RunState, WorkerMessage, WorkerRequest } from './protocol.js';
import { defaultThreads, maxThreads } from './threads.js';

declare const __HAS_DEFAULT_MODEL__: boolean;

const element = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`page: missing element #${id}`);
  return found as T;
};

// ---- state ----
let config: PlaygroundConfig = initialConfig();
let currentModel: { model: Sequential; label: string; source: ModelSource } | null = null;
/** Where the model answering the drawing came from. */
type ModelSource = 'bundled' | 'training' | 'imported';
let defaultModelText: string | null = null;
let input: Float32Array | null = null;
let prediction: Prediction | null = null;
let runState: RunState = 'loading';
let configuredAs: string | null = null;
let distortionRound = 0;
let sampleIndex = 0;
/** Whether predictions follow the network in the worker: from the first Start, Step or Reset on. */
let followTraining = false;

function initialConfig(): PlaygroundConfig {
  const hash = location.hash.replace(/^#/, '');
  const preset = new URLSearchParams(hash).get('preset');
  const base = preset !== null && preset in playgroundPresets ? playgroundPresets[preset].config : defaultConfig;
  return decodeConfig(hash, base);
}

// ---- drawing and prediction ----
const modelStatus = element('model-status');
const previewCanvas = element<HTMLCanvasElement>('preview');
const bars = new ProbabilityBars(element('bars'), element('verdict'));

const pad = new DrawPad(element<HTMLCanvasElement>('pad'), () => predictDrawing());
element('clear').addEventListener('click', () => pad.clear());
element('sample').addEventListener('click', () => send({ type: 'sample', index: sampleIndex++ * 97 }));

function predictDrawing(): void {
  // MNIST's normalisation (20×20 box, centre of mass in 28×28), bytes → [0, 1] floats.
  input = pad.isEmpty ? null : Float32Array.from(preprocessDigit(pad.pixels(), padSize, padSize), (value) => value / 255);
  drawGray(previewCanvas, input ?? new Float32Array(784), 28, 28);
  prediction = input !== null && currentModel !== null ? predictImage(currentModel.model, input) : null;
  bars.update(prediction?.probabilities ?? null);
  scheduleInspection();
}

function useModel(model: Sequential, label: string, source: ModelSource): void {
  currentModel = { model, label, source };
  modelStatus.textContent = `Predicting with ${label}.`;
  predictDrawing();
  renderWeights(element('filters'), model, element('filters-hint'));
}

// ---- training form ----
const form = {
  preset: element<HTMLSelectElement>('preset'),
  loss: element<HTMLSelectElement>('loss'),
  optimizer: element<HTMLSelectElement>('optimizer'),
  learningRate: element<HTMLInputElement>('learning-rate'),
  batchSize: element<HTMLInputElement>('batch-size'),
  epochs: element<HTMLInputElement>('epochs'),
  l2: element<HTMLInputElement>('l2'),
  dropout: element<HTMLInputElement>('dropout'),
  seed: element<HTMLInputElement>('seed'),
  trainSize: element<HTMLInputElement>('train-size'),
  testSize: element<HTMLInputElement>('test-size'),
  distortions: element<HTMLInputElement>('distortions'),
};
for (const name of Object.keys(playgroundPresets)) form.preset.append(new Option(name, name));
form.preset.append(new Option('custom', 'custom'));
const lossNames: Record<string, string> = {
  softmaxCrossEntropy: 'softmax cross-entropy',
  sigmoidCrossEntropy: 'sigmoid cross-entropy',
  quadratic: 'quadratic (MSE)',
};
for (const kind of lossKinds) form.loss.append(new Option(lossNames[kind] ?? kind, kind));
for (const kind of optimizerKinds) form.optimizer.append(new Option(kind, kind));

const architectureMessage = element('architecture-message');
const editor = new ArchitectureEditor(element<HTMLOListElement>('layers'), element<HTMLSelectElement>('add-kind'), element<HTMLButtonElement>('add-layer'), (layers) => {
  config = { ...config, layers, preset: 'custom' };
  form.preset.value = 'custom';
  showPresetDescription();
  configChanged();
});

const presetDescription = element('preset-description');
function showPresetDescription(): void {
  presetDescription.textContent = playgroundPresets[form.preset.value]?.description ?? 'Your own setup.';
}

function showConfig(): void {
  form.preset.value = config.preset in playgroundPresets ? config.preset : 'custom';
  showPresetDescription();
  form.loss.value = config.loss.kind;
  form.optimizer.value = config.optimizer;
  form.learningRate.value = String(config.learningRate);
  form.batchSize.value = String(config.batchSize);
  form.epochs.value = String(config.epochs);
  form.l2.value = String(config.l2);
  form.dropout.value = String(config.dropout);
  form.seed.value = String(config.seed);
  form.trainSize.value = String(config.trainSize);
  form.testSize.value = String(config.testSize);
  form.distortions.value = config.distortions;
  editor.set(config.layers);
}

const distortionsHelp = element('distortions-help');
const distortionsHelpText = distortionsHelp.textContent ?? '';

function readForm(): void {
  try {
    normalizeDistortions(form.distortions.value);
    form.distortions.removeAttribute('aria-invalid');
    distortionsHelp.textContent = distortionsHelpText;
    distortionsHelp.classList.remove('error');
  } catch (error) {
    form.distortions.setAttribute('aria-invalid', 'true');
    distortionsHelp.textContent = error instanceof Error ? error.message : String(error);
    distortionsHelp.classList.add('error');
  }
  const hash = new URLSearchParams({
    lr: form.learningRate.value,
    batch: form.batchSize.value,
    epochs: form.epochs.value,
    l2: form.l2.value,
    dropout: form.dropout.value,
    seed: form.seed.value,
    train: form.trainSize.value,
    test: form.testSize.value,
    loss: form.loss.value,
    optimizer: form.optimizer.value,
    distort: form.distortions.value.trim() === '' ? 'none' : form.distortions.value,
  });
  // decodeConfig validates every number; out-of-range entries keep the previous value.
  config = decodeConfig(hash.toString(), config);
}

/** Validates the architecture, shows each layer's output shape, updates the URL. */
function configChanged(): void {
  history.replaceState(null, '', `#${encodeConfig(config)}`);
  let valid = true;
  try {
    const model = buildSequential(buildDefinition({ ...config, dropout: 0 }), createRng(0), maxParameters);
    editor.showShapes(model.layers.map((layer) => layer.outputShape));
    const outputs = model.outputShape.reduce((product, dimension) => product * dimension, 1);
    if (outputs !== 10) {
      valid = false;
      architectureMessage.textContent = `The last layer gives ${outputs} outputs; a digit classifier needs 10.`;
    } else {
      const parameterCount = model.params.reduce((sum, param) => sum + param.value.data.length, 0);
      architectureMessage.textContent = `${parameterCount.toLocaleString('en')} parameters.`;
    }
  } catch (error) {
    valid = false;
    editor.showShapes([]);
    architectureMessage.textContent = error instanceof Error ? error.message : String(error);
  }
  architectureMessage.classList.toggle('error', !valid);
  architectureValid = valid;
  if (configuredAs !== null && isStale() && (runState === 'running' || runState === 'paused')) {
    trainStatus.textContent = 'The setup changed: the current run goes on with the old one; Reset or Start (after Pause) trains a new network.';
  }
  updateButtons();
}
let architectureValid = true;

form.preset.addEventListener('change', () => {
  const preset = playgroundPresets[form.preset.value];
  if (preset === undefined) {
    config = { ...config, preset: 'custom' };
  } else {
    config = { ...preset.config, layers: [...preset.config.layers], seed: config.seed, trainSize: config.trainSize, testSize: config.testSize };
  }
  showConfig();
  configChanged();
});
for (const control of [form.loss, form.optimizer, form.learningRate, form.batchSize, form.epochs, form.l2, form.dropout, form.seed, form.trainSize, form.testSize, form.distortions]) {
  control.addEventListener('change', () => {
    readForm();
    if (control !== form.seed && control !== form.trainSize && control !== form.testSize && control !== form.epochs) {
      config.preset = 'custom';
      form.preset.value = 'custom';
      showPresetDescription();
    }
    configChanged();
  });
}
element('train-form').addEventListener('submit', (event) => event.preventDefault());

// ---- worker ----
const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
const send = (request: WorkerRequest): void => worker.postMessage(request);
const charts = new TrainingCharts(element<HTMLCanvasElement>('loss-chart'), element<HTMLCanvasElement>('accuracy-chart'));
const trainStatus = element('train-status');
const progressBar = element<HTMLProgressElement>('progress');
const stat = {
  backend: element('stat-backend'),
  speed: element('stat-speed'),
  threads: element('stat-threads'),
  loss: element('stat-loss'),
  accuracy: element('stat-accuracy'),
};
const buttons = {
  start: element<HTMLButtonElement>('start'),
  pause: element<HTMLButtonElement>('pause'),
  step: element<HTMLButtonElement>('step'),
  reset: element<HTMLButtonElement>('reset'),
};
// `?backend=js` or `?backend=wasm` forces a backend (comparisons, debugging); the default picks the best.
const backendParameter = new URLSearchParams(location.search).get('backend');
const backendRequest: BackendRequest = backendParameter === 'js' || backendParameter === 'wasm' ? backendParameter : 'auto';

// ---- threads ----
// Several threads need SharedArrayBuffer, which only a cross-origin isolated page has (COOP and
// COEP headers from the server). `?threads=n` on the URL sets the count (measurements, links).
const threadsInput = element<HTMLInputElement>('threads');
const threadsNote = element('threads-note');
const threadsParameter = Number.parseInt(new URLSearchParams(location.search).get('threads') ?? '', 10);
threadsInput.max = String(maxThreads);
if (!crossOriginIsolated) {
  threadsInput.value = '1';
  threadsInput.disabled = true;
  threadsNote.textContent =
    'Training uses one thread: this page is not cross-origin isolated (its server sends no Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers), so threads cannot share memory.';
} else {
  const wanted = Number.isInteger(threadsParameter) && threadsParameter >= 1 ? threadsParameter : defaultThreads(navigator.hardwareConcurrency);
  threadsInput.value = String(Math.min(maxThreads, wanted));
  threadsNote.textContent = `Threads: each mini-batch is split over them (this device has ${navigator.hardwareConcurrency ?? 'an unknown number of'} logical processors); a change applies from the next Start or Resume.`;
}
function readThreads(): number {
  const value = Number(threadsInput.value);
  if (!Number.isInteger(value) || value < 1) {
    threadsInput.setAttribute('aria-invalid', 'true');
    return 1;
  }
  threadsInput.removeAttribute('aria-invalid');
  if (value > maxThreads) threadsInput.value = String(maxThreads);
  return Math.min(value, maxThreads);
}
threadsInput.addEventListener('change', () => send({ type: 'threads', threads: readThreads() }));

function configure(): void {
  configuredAs = encodeConfig(config);
  charts.clear();
  stat.loss.textContent = '–';
  stat.accuracy.textContent = '–';
  progressBar.value = 0;
  send({ type: 'threads', threads: readThreads() });
  send({ type: 'configure', config, dataUrl: new URL('data/', document.baseURI).href, backend: backendRequest });
}

function isStale(): boolean {
  return configuredAs !== encodeConfig(config);
}

function updateButtons(): void {
  const busy = runState === 'loading';
  buttons.start.disabled = busy || runState === 'running' || !architectureValid;
  buttons.start.textContent = runState === 'paused' && !isStale() ? 'Resume' : 'Start';
  buttons.pause.disabled = runState !== 'running';
  buttons.step.disabled = busy || runState === 'running' || !architectureValid;
  buttons.reset.disabled = busy || !architectureValid;
  document.body.dataset.runState = runState;
}

buttons.start.addEventListener('click', () => {
  followTraining = true;
  // The worker handles requests in order: a fresh network first when the setup changed.
  if (runState === 'done' || runState === 'failed' || isStale()) configure();
  send({ type: 'start' });
});
buttons.pause.addEventListener('click', () => send({ type: 'pause' }));
buttons.step.addEventListener('click', () => {
  followTraining = true;
  if (runState === 'done' || runState === 'failed' || isStale()) configure();
  send({ type: 'step' });
});
buttons.reset.addEventListener('click', () => {
  followTraining = true;
  configure();
});
element('share').addEventListener('click', async () => {
  history.replaceState(null, '', `#${encodeConfig(config)}`);
  try {
    await navigator.clipboard.writeText(location.href);
    trainStatus.textContent = 'Link to this setup copied.';
  } catch {
    trainStatus.textContent = `Link to this setup: ${location.href}`;
  }
});

const formatPercent = (value: number): string => `${(100 * value).toFixed(2)} %`;

worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'status':
      trainStatus.textContent = message.text;
      break;
    case 'state':
      runState = message.state;
      if (message.state === 'ready') {
        trainStatus.textContent = 'Ready: press Start to train, or Step to run one batch.';
        trainStatus.classList.remove('error');
      }
      if (message.state === 'paused') trainStatus.textContent = 'Paused.';
      if (message.state === 'done') trainStatus.textContent = `Done: ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}.`;
      updateButtons();
      break;
    case 'ready':
      stat.backend.textContent = message.backend;
      element('stat-backend-note').textContent = message.backendNote === '' ? '' : `(${message.backendNote})`;
      element('summary').textContent = `${message.summary}\n\n${message.trainCount} training images, ${message.testCount} test images, ${message.batches} batches an epoch.`;
      if (distortionRound === 0) requestDistortions();
      break;
    case 'progress':
      progressBar.value = Math.min(1, message.position / config.epochs);
      if (message.imagesPerSecond > 0) stat.speed.textContent = Math.round(message.imagesPerSecond).toLocaleString('en');
      // Totals for measurements: images trained and seconds spent on them since the network was built.
      stat.speed.dataset.trainImages = String(message.trainImages);
      stat.speed.dataset.trainSeconds = String(message.trainSeconds);
      stat.loss.textContent = message.loss.toFixed(4);
      if (runState === 'running') trainStatus.textContent = `Training: epoch ${message.epoch + 1} of ${config.epochs}, batch ${message.batch} of ${message.batches}.`;
      break;
    case 'threads':
      stat.threads.textContent = String(message.threads);
      stat.threads.title = message.note;
      break;
    case 'trainPoint':
      charts.addTrain(message.position, message.loss, message.accuracy);
      break;
    case 'evaluation':
      if (message.position !== null) charts.addTest(message.position, message.loss, message.accuracy);
      stat.accuracy.textContent = formatPercent(message.accuracy);
      stat.accuracy.title = `on ${message.count} test images`;
      if (message.confusion !== null) {
        renderConfusion(element('confusion'), message.confusion, (actual, predicted) => send({ type: 'misclassified', actual, predicted, limit: 40 }));
        element('misclassified').replaceChildren();
      }
      if (message.position === null) element('files-message').textContent = `Test accuracy of the current model: ${formatPercent(message.accuracy)}.`;
      break;
    case 'model': {
      // Until the user trains, a bundled pre-trained model keeps answering; with none, the
      // fresh network does (and the status line says that no pre-trained model is bundled).
      if (!followTraining && (__HAS_DEFAULT_MODEL__ || (currentModel !== null && currentModel.source !== 'training'))) break;
      let model: Sequential;
      try {
        model = loadModel(message.text, 'training worker').model;
      } catch (error) {
        // NaN weights (a diverged run) are refused by loadModel: keep the last good model.
        trainStatus.textContent = `The network sent by the worker is unusable: ${error instanceof Error ? error.message : String(error)}`;
        trainStatus.classList.add('error');
        break;
      }
      useModel(model, message.label, 'training');
      if (!followTraining) modelStatus.textContent = `No pre-trained model is bundled yet: train one below (a few seconds with the small preset) or import a model file. Predicting with ${message.label}.`;
      break;
    }
    case 'misclassified': {
      const count = message.indices.length;
      const title =
        message.actual === message.predicted
          ? `Test digits ${message.actual} recognised correctly (first ${count})`
          : `Test digits ${message.actual} taken for ${message.predicted} (${count}${count === 40 ? '+' : ''})`;
      renderDigits(element('misclassified'), title, message.images, count, message.indices.map((index) => `#${index}`));
      break;
    }
    case 'distortions':
      renderDigits(element('distortions-preview'), 'Original, then distorted copies', message.images, message.count);
      break;
    case 'sample':
      pad.showDigit(message.image);
      modelStatus.textContent = `Showing test digit #${message.index}, labelled ${message.label}. Predicting with ${currentModel?.label ?? 'no model yet'}.`;
      break;
    case 'error':
      trainStatus.textContent = `Error: ${message.message}`;
      trainStatus.classList.add('error');
      break;
  }
};
worker.onerror = (event) => {
  event.preventDefault();
  trainStatus.textContent = `The training worker failed: ${event.message}`;
};

function requestDistortions(): void {
  send({ type: 'distortions', spec: config.distortions, seed: config.seed * 1000 + distortionRound, index: distortionRound * 13, count: 8 });
  distortionRound++;
}
element('new-distortions').addEventListener('click', requestDistortions);
element('evaluate').addEventListener('click', () => {
  if (currentModel === null) return;
  send({ type: 'evaluate', modelText: saveModel(currentModel.model) });
});

// ---- inspection (throttled: feature maps follow the pen without slowing it) ----
let inspectionQueued = false;
function scheduleInspection(): void {
  if (inspectionQueued) return;
  inspectionQueued = true;
  setTimeout(() => {
    inspectionQueued = false;
    renderFeatureMaps(element('feature-maps'), currentModel?.model ?? null, prediction, input, element('maps-hint'));
  }, 120);
}

// ---- files ----
const filesMessage = element('files-message');
element('export').addEventListener('click', () => {
  if (currentModel === null) {
    filesMessage.textContent = 'There is no model to export yet.';
    return;
  }
  const text = saveModel(currentModel.model, { meta: { source: currentModel.label, config } });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  link.download = 'nnkit-model.json';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  filesMessage.textContent = `Exported ${currentModel.label} as nnkit-model.json.`;
});
const importInput = element<HTMLInputElement>('import');
element('import-button').addEventListener('click', () => importInput.click());
importInput.addEventListener('change', async () => {
  const file = importInput.files?.[0];
  if (file === undefined) return;
  try {
    const { model } = loadModel(await file.text(), file.name, { maxParams: maxParameters });
    if (model.inputShape.join('×') !== '28×28×1') throw new Error(`${file.name}: inputShape: expected [28, 28, 1] (MNIST images)`);
    followTraining = false;
    useModel(model, `the imported model ${file.name}`, 'imported');
    filesMessage.textContent = `Loaded ${file.name}.`;
  } catch (error) {
    filesMessage.textContent = `Could not load the model: ${error instanceof Error ? error.message : String(error)}`;
  }
  importInput.value = '';
});
addInteropFiles({
  panel: element('files'),
  message: filesMessage,
  current: () => currentModel?.model ?? null,
  use: (model, label) => {
    followTraining = false;
    useModel(model, `the imported model ${label}`, 'imported');
  },
});
element('use-default').addEventListener('click', () => {
  if (defaultModelText === null) {
    filesMessage.textContent = 'No pre-trained model is bundled with this build.';
    return;
  }
  followTraining = false;
  useBundledModel(defaultModelText);
});

/** Uses the bundled model, naming its test accuracy when the file records it (`nnkit train` does). */
function useBundledModel(text: string): void {
  const { model, meta } = loadModel(text, 'models/default.json');
  const accuracy = meta?.testAccuracy;
  const label = typeof accuracy === 'number' && accuracy > 0 && accuracy <= 1 ? `the pre-trained model (${formatPercent(accuracy)} on the MNIST test set)` : 'the pre-trained model';
  useModel(model, label, 'bundled');
}

async function loadDefaultModel(): Promise<void> {
  // The build knows whether the model file exists, so a missing one costs no failed request.
  if (!__HAS_DEFAULT_MODEL__) {
    element<HTMLButtonElement>('use-default').disabled = true;
    element<HTMLButtonElement>('use-default').title = 'No pre-trained model is bundled with this build';
    if (currentModel === null) modelStatus.textContent = 'No pre-trained model is bundled yet: train one below (a few seconds with the small preset) or import a model file.';
    return;
  }
  try {
    const response = await fetch(new URL('models/default.json', document.baseURI));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    defaultModelText = await response.text();
    if (!followTraining) useBundledModel(defaultModelText);
  } catch (error) {
    modelStatus.textContent = `The pre-trained model could not be loaded (${error instanceof Error ? error.message : String(error)}): train one below or import a model file.`;
  }
}

// A link pasted over the current one (or the back button) applies its setup.
window.addEventListener('hashchange', () => {
  config = initialConfig();
  showConfig();
  configChanged();
});

// ---- start ----
showConfig();
configChanged();
renderConfusion(element('confusion'), null, () => {});
renderWeights(element('filters'), null);
bars.update(null);
predictDrawing();
void loadDefaultModel();
configure();
