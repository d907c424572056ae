// The playground page: the drawing pad, the setup form, the training worker, the charts, the
// inspector and the model files. All state is one `PageState` (page-state.ts): user input and
// worker messages become actions, `render` draws every view from the state, and `writeUrl` in
// `render` is the one place the URL changes.
import './style.css';
import { createRng } from '@nnkit/tensor';
import { Announcer } from './announcer.js';
import { ArchitectureEditor } from './architecture-editor.js';
import { TrainingCharts } from './charts.js';
import { type PlaygroundConfig, decodeConfig, defaultConfig, encodeConfig, lossKinds, maxParameters, optimizerKinds } from './config.js';
import { DrawPad, padSize } from './draw-pad.js';
import { drawGray } from './image-render.js';
import { renderConfusion, renderDigits, renderFeatureMaps, renderWeights } from './inspector.js';
import type { BackendRequest } from './kernels.js';
import { buildDefinition } from './model-definition.js';
import { addInteropFiles } from './interop-files.js';
import { Sequential, buildSequential, loadModel, preprocessDigit, saveModel } from './nnkit.js';
import {
  type ModelEntry,
  type ModelSource,
  type PageAction,
  type PageState,
  type SetupField,
  buttonStates,
  formatPercent,
  initialState,
  learningRateAppliesLive,
  modelInUse,
  modelLabel,
  modelStatusText,
  needsNewNetwork,
  progressFraction,
  reduce,
  runStatusText,
  setupNoticeText,
} from './page-state.js';
import { type Prediction, predictImage } from './predict.js';
import { playgroundPresets } from './presets.js';
import { ProbabilityBars } from './probability-bars.js';
import { fetchRecordModel } from './record-model.js';
import { type WorkerMessage, workerChannel } from './protocol.js';
import { indexedDbStorage } from './sample-storage.js';
import { TeachPanel } from './teach-panel.js';
import { linkProblems, numberFields, readDistortions, readNumber, readSchedule, scheduleRateNote, smoothingProblem } from './setup-fields.js';
import { defaultThreads, maxThreads } from './threads.js';

declare const __HAS_DEFAULT_MODEL__: boolean;
/** Whether the build carries the record network (copied from the repository's models/ folder). */
declare const __HAS_RECORD_MODEL__: boolean;
/** The record network's download, e.g. "1.3 MB" ('' without one). */
declare const __RECORD_MODEL_SIZE__: string;

const element = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`page: missing element #${id}`);
  return found as T;
};

/** A URL hash that carries a setup (`#preset=…&lr=…`), as opposed to a section link (`#train`). */
const isSetupHash = (hash: string): boolean => hash.replace(/^#/, '').includes('=');

function setupFromHash(hash: string): PlaygroundConfig {
  const text = hash.replace(/^#/, '');
  const preset = new URLSearchParams(text).get('preset');
  const base = preset !== null && preset in playgroundPresets ? playgroundPresets[preset].config : defaultConfig;
  return decodeConfig(text, base);
}

// ---- the state, and the one way to change it ----
let state: PageState = initialState(setupFromHash(isSetupHash(location.hash) ? location.hash : ''), __HAS_DEFAULT_MODEL__);
let renderQueued = false;

function dispatch(action: PageAction): void {
  const next = reduce(state, action);
  if (next === state) return;
  state = next;
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    render();
  });
}

// ---- worker ----
const worker = workerChannel(new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' }), (text) =>
  dispatch({ type: 'worker', message: { type: 'error', ...(state.run === null ? {} : { runId: state.run.id }), message: text } }),
);
const send = worker.send;
const dataUrl = new URL('data/', document.baseURI).href;
// `?backend=js` or `?backend=wasm` forces a backend (comparisons, debugging); the default picks the best.
const backendParameter = new URLSearchParams(location.search).get('backend');
const backendRequest: BackendRequest = backendParameter === 'js' || backendParameter === 'wasm' ? backendParameter : 'auto';
let runIds = 0;
/** Models whose evaluation was asked for and has not come back; the one asked for by the Evaluate button. */
const evaluating = new Set<string>();
let evaluationAskedByUser: string | null = null;

// ---- drawing and prediction ----
const previewCanvas = element<HTMLCanvasElement>('preview');
const bars = new ProbabilityBars(element('bars'), element('verdict'), element('confidence-note'));
let input: Float32Array | null = null;
let prediction: Prediction | null = null;
let sampleIndex = 0;

const pad = new DrawPad(element<HTMLCanvasElement>('pad'), () => {
  if (pad.lastChange !== 'digit') dispatch({ type: 'padChanged' });
  predictDrawing();
});
element('clear').addEventListener('click', () => {
  pad.clear();
  dispatch({ type: 'padChanged' });
});
element('sample').addEventListener('click', () => send({ type: 'sample', index: sampleIndex++ * 97 }));

/** The parsed network of a model entry, kept for the entry on screen. */
let parsed: { key: string; model: Sequential | null; error: string | null } | null = null;
function networkOf(entry: ModelEntry | null): Sequential | null {
  if (entry === null) return null;
  if (parsed?.key !== entry.key) {
    try {
      parsed = { key: entry.key, model: loadModel(entry.text, entry.fileName ?? entry.source).model, error: null };
    } catch (error) {
      // NaN weights (a diverged run) are refused by loadModel: the page says so instead of drawing with them.
      parsed = { key: entry.key, model: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
  return parsed.model;
}

/** The test-time views the drawing is read over: those the page scores its test images with (the run's, else the form's). */
const padViews = (): number => state.run?.config.tta ?? state.setup.tta;

function predictDrawing(): void {
  // MNIST's normalisation (20×20 box, centre of mass in 28×28), bytes → [0, 1] floats; a test
  // digit shown on the pad is already an MNIST image and goes in as it is.
  input = pad.isEmpty ? null : (pad.digitImage ?? Float32Array.from(preprocessDigit(pad.pixels(), padSize, padSize), (value) => value / 255));
  drawGray(previewCanvas, input ?? new Float32Array(784), 28, 28);
  const model = networkOf(modelInUse(state));
  prediction = input !== null && model !== null ? predictImage(model, input, padViews()) : null;
  bars.update(prediction?.probabilities ?? null);
  scheduleInspection();
}

// ---- the setup form ----
const form = {
  preset: element<HTMLSelectElement>('preset'),
  loss: element<HTMLSelectElement>('loss'),
  labelSmoothing: element<HTMLInputElement>('label-smoothing'),
  ema: element<HTMLInputElement>('ema'),
  tta: element<HTMLInputElement>('tta'),
  optimizer: element<HTMLSelectElement>('optimizer'),
  learningRate: element<HTMLInputElement>('learning-rate'),
  schedule: element<HTMLInputElement>('schedule'),
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

const editor = new ArchitectureEditor(element<HTMLOListElement>('layers'), element<HTMLSelectElement>('add-kind'), element<HTMLButtonElement>('add-layer'), (layers) => {
  const invalid = { ...state.invalid };
  delete invalid.layers;
  dispatch({ type: 'setupEdited', setup: { ...state.setup, layers, preset: 'custom' }, invalid });
  checkArchitecture();
});

/** Writes the setup into the form (on load, a preset, a pasted link); refused link values stay visible. */
function showSetup(setup: PlaygroundConfig, raw: Partial<Record<SetupField, { text: string }>> = {}): void {
  form.preset.value = setup.preset in playgroundPresets ? setup.preset : 'custom';
  form.loss.value = setup.loss.kind;
  form.optimizer.value = setup.optimizer;
  for (const spec of numberFields) {
    (form[spec.field as keyof typeof form] as HTMLInputElement).value = raw[spec.field]?.text ?? String(setup[spec.field]);
  }
  form.distortions.value = raw.distortions?.text ?? setup.distortions;
  form.schedule.value = raw.schedule?.text ?? setup.schedule;
  editor.set(setup.layers);
}

/** Reads the form into the setup; a refused field keeps the setup's value and is marked. */
function readForm(): void {
  const setup: PlaygroundConfig = { ...state.setup, loss: { kind: form.loss.value } as PlaygroundConfig['loss'], optimizer: form.optimizer.value as PlaygroundConfig['optimizer'] };
  const invalid: Partial<Record<SetupField, string>> = state.invalid.layers === undefined ? {} : { layers: state.invalid.layers };
  for (const spec of numberFields) {
    const read = readNumber(spec, (form[spec.field as keyof typeof form] as HTMLInputElement).value);
    if ('error' in read) invalid[spec.field] = read.error;
    else (setup as unknown as Record<string, number>)[spec.field] = read.value;
  }
  const distortions = readDistortions(form.distortions.value);
  if ('error' in distortions) invalid.distortions = distortions.error;
  else setup.distortions = distortions.value;
  // Read against the epochs and the loss just read.
  const schedule = readSchedule(form.schedule.value, setup.epochs);
  if ('error' in schedule) invalid.schedule = schedule.error;
  else setup.schedule = schedule.value;
  const smoothing = smoothingProblem(setup.labelSmoothing, setup.loss.kind);
  if (invalid.labelSmoothing === undefined && smoothing !== null) invalid.labelSmoothing = smoothing;
  dispatch({ type: 'setupEdited', setup, invalid });
}

/** Builds the setup's network once to show each layer's output shape and check the 10 outputs. */
function checkArchitecture(): void {
  let error: string | null = null;
  try {
    const model = buildSequential(buildDefinition({ ...state.setup, dropout: 0 }), createRng(0), maxParameters);
    editor.showShapes(model.layers.map((layer) => layer.outputShape));
    const outputs = model.outputShape.reduce((product, dimension) => product * dimension, 1);
    if (outputs !== 10) error = `The last layer gives ${outputs} outputs; a digit classifier needs 10.`;
    else parameterCount = model.params.reduce((sum, param) => sum + param.value.data.length, 0);
  } catch (caught) {
    editor.showShapes([]);
    error = caught instanceof Error ? caught.message : String(caught);
  }
  dispatch({ type: 'architectureChecked', error });
}
let parameterCount = 0;

form.preset.addEventListener('change', () => {
  const preset = playgroundPresets[form.preset.value];
  const setup = preset === undefined ? { ...state.setup, preset: 'custom' } : { ...preset.config, layers: [...preset.config.layers], seed: state.setup.seed, trainSize: state.setup.trainSize, testSize: state.setup.testSize };
  showSetup(setup);
  dispatch({ type: 'setupEdited', setup, invalid: {} });
  checkArchitecture();
});
/** Fields that leave the preset's network and training as they are (the views only change how the test images are scored). */
const presetNeutral = new Set<HTMLElement>([form.seed, form.trainSize, form.testSize, form.epochs, form.tta]);
for (const control of [form.loss, form.labelSmoothing, form.ema, form.tta, form.optimizer, form.learningRate, form.schedule, form.batchSize, form.epochs, form.l2, form.dropout, form.seed, form.trainSize, form.testSize, form.distortions]) {
  control.addEventListener('change', () => {
    readForm();
    if (!presetNeutral.has(control)) {
      form.preset.value = 'custom';
      dispatch({ type: 'setupEdited', setup: { ...state.setup, preset: 'custom' }, invalid: state.invalid });
    }
    // A new learning rate applies to the run at once when nothing else differs from it and no schedule sets it.
    if (control === form.learningRate && learningRateAppliesLive(state)) {
      send({ type: 'learningRate', learningRate: state.setup.learningRate });
      dispatch({ type: 'learningRateChanged', learningRate: state.setup.learningRate, preset: state.setup.preset });
    }
    if (control === form.loss) checkArchitecture();
  });
}
element('train-form').addEventListener('submit', (event) => event.preventDefault());

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

// ---- training controls ----
const charts = new TrainingCharts(element<HTMLCanvasElement>('loss-chart'), element<HTMLCanvasElement>('accuracy-chart'));
const buttons = {
  start: element<HTMLButtonElement>('start'),
  pause: element<HTMLButtonElement>('pause'),
  step: element<HTMLButtonElement>('step'),
  reset: element<HTMLButtonElement>('reset'),
};

/** Builds a new network in the worker for the setup as it stands: a new run. */
function configure(): void {
  const id = ++runIds;
  charts.clear();
  dispatch({ type: 'runConfigured', id, config: state.setup });
  send({ type: 'threads', threads: readThreads() });
  send({ type: 'configure', runId: id, config: state.setup, dataUrl, backend: backendRequest });
}

buttons.start.addEventListener('click', () => {
  // The worker handles requests in order: a fresh network first when the setup changed.
  if (needsNewNetwork(state)) configure();
  send({ type: 'start' });
});
buttons.pause.addEventListener('click', () => send({ type: 'pause' }));
buttons.step.addEventListener('click', () => {
  if (needsNewNetwork(state)) configure();
  send({ type: 'step' });
});
buttons.reset.addEventListener('click', () => configure());
element('share').addEventListener('click', async () => {
  writeUrl();
  try {
    await navigator.clipboard.writeText(location.href);
    shareMessage = 'Link to this setup copied.';
  } catch {
    shareMessage = `Link to this setup: ${location.href}`;
  }
  render();
});
let shareMessage = '';

// ---- the model used for drawing and inspecting ----
if (__RECORD_MODEL_SIZE__ !== '') element('record-choice').textContent = `the record network (${__RECORD_MODEL_SIZE__}, fetched when chosen)`;
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="predict-with"]')) {
  radio.addEventListener('change', () => {
    if (!radio.checked) return;
    const source = radio.value as ModelSource;
    if (source === 'record' && state.models.record === undefined) void loadRecordNetwork();
    else {
      if (!recordNote.startsWith('Loading')) recordNote = ''; // a failed load's message goes with the choice
      dispatch({ type: 'predictWith', source });
    }
  });
}

/** Fetches the record network the first time it is chosen (`__RECORD_MODEL_SIZE__`), then predicts with it. */
let recordNote = '';
async function loadRecordNetwork(): Promise<void> {
  if (recordNote.startsWith('Loading')) return;
  recordNote = `Loading the record network (${__RECORD_MODEL_SIZE__})…`;
  render();
  try {
    const { text, recordedAccuracy } = await fetchRecordModel(document.baseURI);
    recordNote = '';
    dispatch({ type: 'modelLoaded', source: 'record', text, ...(recordedAccuracy === undefined ? {} : { recordedAccuracy }) });
  } catch (error) {
    recordNote = `The record network could not be loaded (${error instanceof Error ? error.message : String(error)}).`;
    render();
  }
}

/** Asks the worker to score a model on the test slice (once at a time per model). */
function evaluateModel(entry: ModelEntry): void {
  if (evaluating.has(entry.key)) return;
  evaluating.add(entry.key);
  send({ type: 'evaluate', modelKey: entry.key, modelText: entry.text });
}
element('evaluate').addEventListener('click', () => {
  const entry = modelInUse(state);
  if (entry === null) return;
  evaluationAskedByUser = entry.key;
  evaluating.delete(entry.key);
  evaluateModel(entry);
});

// ---- teach it my handwriting ----
/** The model fine-tuning starts from: the pre-trained one, else the model in use (never a tuned one). */
function baseModelEntry(): ModelEntry | null {
  const entry = state.models.bundled ?? modelInUse(state);
  return entry === null || entry.source === 'tuned' ? null : entry;
}
const teach = new TeachPanel({
  send,
  dataUrl,
  storage: indexedDbStorage(),
  baseModel: () => {
    const entry = baseModelEntry();
    return entry === null ? null : { key: entry.key, text: entry.text, label: entry.source === 'bundled' ? 'the pre-trained model' : modelLabel(entry, state.run) };
  },
  mnistAccuracy: () => {
    const base = baseModelEntry()?.evaluation ?? null;
    const tuned = state.models.tuned?.evaluation ?? null;
    return { base: base?.accuracy ?? null, tuned: tuned?.accuracy ?? null, count: tuned?.count ?? base?.count ?? null };
  },
  useTuned: (text) => dispatch({ type: 'modelLoaded', source: 'tuned', text }),
  usePretrained: () => dispatch({ type: 'predictWith', source: state.models.bundled === undefined ? 'training' : 'bundled' }),
});
/** What the panel's scores were last drawn from: the base model and the two MNIST evaluations. */
let teachShown: unknown[] = [];

// ---- worker messages ----
worker.onMessage((message: WorkerMessage) => {
  const run = state.run;
  const current = run !== null && 'runId' in message && message.runId === run.id;
  switch (message.type) {
    case 'trainPoint':
      if (current) charts.addTrain(message.position, message.loss, message.accuracy);
      break;
    case 'evaluation':
      evaluating.delete(message.modelKey);
      if (current && message.position !== null) charts.addTest(message.position, message.loss, message.accuracy, message.confusion !== null);
      if (evaluationAskedByUser === message.modelKey && message.confusion !== null) {
        evaluationAskedByUser = null;
        dispatch({ type: 'filesMessage', text: `Test accuracy of the current model: ${formatPercent(message.accuracy)} on ${message.count} test images.` });
      }
      break;
    case 'misclassified':
      showCellDigits(message);
      break;
    case 'distortions':
      renderDigits(element('distortions-preview'), 'Original, then distorted copies', message.images, message.count);
      break;
    case 'sample':
      pad.showDigit(message.image);
      dispatch({ type: 'sampleShown', index: message.index, label: message.label });
      break;
    case 'ready':
      if (distortionRound === 0) requestDistortions();
      break;
    case 'tuneStatus':
    case 'tuneProgress':
    case 'tuned':
    case 'tuneFailed':
      teach.handle(message);
      break;
    default:
      break;
  }
  dispatch({ type: 'worker', message });
});

let distortionRound = 0;
function requestDistortions(): void {
  send({ type: 'distortions', spec: state.setup.distortions, seed: state.setup.seed * 1000 + distortionRound, index: distortionRound * 13, count: 8 });
  distortionRound++;
}
element('new-distortions').addEventListener('click', requestDistortions);

// ---- the confusion matrix and its digits ----
const cellDigitLimit = 40;
let cellDigits: { key: string; images: Float32Array; indices: number[] } | null = null;
function showCellDigits(message: Extract<WorkerMessage, { type: 'misclassified' }>): void {
  const entry = modelInUse(state);
  const cell = state.selectedCell;
  if (entry === null || message.modelKey !== entry.key || cell === null || cell.actual !== message.actual || cell.predicted !== message.predicted) return;
  cellDigits = { key: entry.key, images: message.images, indices: message.indices };
  const count = message.indices.length;
  const title =
    message.actual === message.predicted
      ? `Test digits ${message.actual} recognised correctly (first ${count})`
      : `Test digits ${message.actual} taken for ${message.predicted} (${count}${count === cellDigitLimit ? '+' : ''}): choose one to draw with it`;
  renderDigits(element('misclassified'), title, message.images, count, message.indices.map((index) => `#${index}`), (slot) => {
    // What the network sees: the test digit on the pad, predicted like a drawing.
    pad.showDigit(message.images.subarray(slot * 784, (slot + 1) * 784));
    dispatch({ type: 'sampleShown', index: message.indices[slot], label: message.actual });
    element('pad').scrollIntoView({ block: 'center' });
  });
}
function selectCell(actual: number, predicted: number): void {
  const entry = modelInUse(state);
  if (entry === null) return;
  dispatch({ type: 'cellSelected', actual, predicted });
  send({ type: 'misclassified', modelKey: entry.key, actual, predicted, limit: cellDigitLimit });
}

// ---- inspection (throttled: feature maps follow the pen without slowing it) ----
let inspectionQueued = false;
function scheduleInspection(): void {
  if (inspectionQueued) return;
  inspectionQueued = true;
  setTimeout(() => {
    inspectionQueued = false;
    renderFeatureMaps(element('feature-maps'), networkOf(modelInUse(state)), prediction, input, element('maps-hint'));
  }, 120);
}

// ---- files ----
element('export').addEventListener('click', () => {
  const entry = modelInUse(state);
  if (entry === null) {
    dispatch({ type: 'filesMessage', text: 'There is no model to export yet.' });
    return;
  }
  // The file as it came: the pre-trained and imported models keep their own provenance, the
  // network trained here carries the run's setup.
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([entry.text], { type: 'application/json' }));
  link.download =
    entry.source === 'imported' && entry.fileName !== undefined
      ? entry.fileName
      : entry.source === 'bundled'
        ? 'nnkit-pretrained-model.json'
        : entry.source === 'tuned'
          ? 'nnkit-tuned-model.json'
          : 'nnkit-model.json';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  dispatch({ type: 'filesMessage', text: `Exported ${modelLabel(entry, state.run)} as ${link.download}.` });
});
const importInput = element<HTMLInputElement>('import');
element('import-button').addEventListener('click', () => importInput.click());
importInput.addEventListener('change', async () => {
  const file = importInput.files?.[0];
  if (file === undefined) return;
  try {
    const text = await file.text();
    const { model } = loadModel(text, file.name, { maxParams: maxParameters });
    if (model.inputShape.join('×') !== '28×28×1') throw new Error(`${file.name}: inputShape: expected [28, 28, 1] (MNIST images)`);
    dispatch({ type: 'modelLoaded', source: 'imported', text, fileName: file.name });
    dispatch({ type: 'filesMessage', text: `Loaded ${file.name}.` });
  } catch (error) {
    dispatch({ type: 'filesMessage', text: `Could not load the model: ${error instanceof Error ? error.message : String(error)}` });
  }
  importInput.value = '';
});
// TensorFlow.js and ONNX files: an imported one becomes the imported model, kept as nnkit-model text.
addInteropFiles({
  panel: element('files'),
  say: (text) => dispatch({ type: 'filesMessage', text }),
  current: () => networkOf(modelInUse(state)),
  use: (model, label) => dispatch({ type: 'modelLoaded', source: 'imported', text: saveModel(model, { meta: { source: label } }), fileName: label }),
});
element('use-default').addEventListener('click', () => {
  if (state.models.bundled === undefined) {
    dispatch({ type: 'filesMessage', text: 'No pre-trained model is bundled with this build.' });
    return;
  }
  dispatch({ type: 'predictWith', source: 'bundled' });
});

async function loadBundledModel(): Promise<void> {
  // The build knows whether the model file exists, so a missing one costs no failed request.
  if (!__HAS_DEFAULT_MODEL__) {
    element<HTMLButtonElement>('use-default').disabled = true;
    element<HTMLButtonElement>('use-default').title = 'No pre-trained model is bundled with this build';
    return;
  }
  try {
    const response = await fetch(new URL('models/default.json', document.baseURI));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    const accuracy = loadModel(text, 'models/default.json').meta?.testAccuracy;
    const predictWith = state.predictWith;
    dispatch({ type: 'modelLoaded', source: 'bundled', text, ...(typeof accuracy === 'number' && accuracy > 0 && accuracy <= 1 ? { recordedAccuracy: accuracy } : {}) });
    // Arriving late, it does not take the drawing away from a model the user chose.
    if (predictWith !== 'bundled') dispatch({ type: 'predictWith', source: predictWith });
  } catch (error) {
    bundledError = `The pre-trained model could not be loaded (${error instanceof Error ? error.message : String(error)}): train one below or import a model file.`;
    render();
  }
}
let bundledError = '';

// ---- the URL: section links scroll, setup links apply ----
/** The one place that writes the URL: the hash always carries the setup being edited. */
function writeUrl(): void {
  const hash = `#${encodeConfig(state.setup)}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}
function goToSection(id: string): boolean {
  const target = document.getElementById(id);
  if (target === null) return false;
  target.scrollIntoView();
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
  return true;
}
// Section links (header, skip link) move the focus without touching the hash, which is the setup's.
document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
  if (link === null || link === undefined) return;
  const id = (link.getAttribute('href') ?? '').slice(1);
  if (id === '' || isSetupHash(id)) return;
  if (goToSection(id)) event.preventDefault();
});
// A link pasted over the current one (or the back button) applies its setup; a typed section name scrolls.
window.addEventListener('hashchange', () => {
  if (isSetupHash(location.hash)) {
    applyLink(location.hash);
  } else {
    goToSection(location.hash.slice(1));
    writeUrl();
  }
});

/** Applies a setup link: its values in the form, with what it sets wrongly marked, never replaced in silence. */
function applyLink(hash: string): void {
  const setup = setupFromHash(hash);
  const problems = linkProblems(hash);
  showSetup(setup, problems);
  const invalid: Partial<Record<SetupField, string>> = {};
  for (const [field, problem] of Object.entries(problems)) invalid[field as SetupField] = problem.error;
  dispatch({ type: 'setupEdited', setup, invalid });
  checkArchitecture();
}

// ---- render: every view from the state ----
const announcer = new Announcer(element('announcer'));
const view = {
  modelStatus: element('model-status'),
  trainStatus: element('train-status'),
  setupNotice: element('setup-notice'),
  runWarning: element('run-warning'),
  progress: element<HTMLProgressElement>('progress'),
  architecture: element('architecture-message'),
  presetDescription: element('preset-description'),
  scheduleNote: element('schedule-rate-note'),
  summary: element('summary'),
  filesMessage: element('files-message'),
  confusion: element('confusion'),
  confusionHint: element('confusion-hint'),
  misclassified: element('misclassified'),
  inspectHint: element('inspect-model'),
  stat: {
    backend: element('stat-backend'),
    backendNote: element('stat-backend-note'),
    speed: element('stat-speed'),
    threads: element('stat-threads'),
    loss: element('stat-loss'),
    learningRate: element('stat-lr'),
    accuracy: element('stat-accuracy'),
    elapsed: element('stat-elapsed'),
  },
};
const fieldErrors = new Map<SetupField, HTMLElement>();
for (const spec of numberFields) fieldErrors.set(spec.field, element(`${(form[spec.field as keyof typeof form] as HTMLElement).id}-error`));
fieldErrors.set('distortions', element('distortions-error'));
fieldErrors.set('schedule', element('schedule-error'));

let rendered: { weightsKey: string | null; confusion: unknown; selected: unknown; modelKey: string | null; views: number } = { weightsKey: '', confusion: undefined, selected: undefined, modelKey: '', views: 0 };

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function render(): void {
  writeUrl();
  const run = state.run;
  const entry = modelInUse(state);

  // Drawing panel.
  const network = networkOf(entry);
  const unusable = entry !== null && network === null ? ` (its weights are unusable: ${parsed?.error ?? ''})` : '';
  setText(view.modelStatus, recordNote !== '' ? recordNote : bundledError !== '' && entry === null ? bundledError : modelStatusText(state) + unusable);
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="predict-with"]')) {
    const source = radio.value as ModelSource;
    // The record network is fetched when chosen, so its choice is there before its model is.
    const offered = source === 'record' ? __HAS_RECORD_MODEL__ : state.models[source] !== undefined;
    radio.checked = entry?.source === source || (source === 'record' && recordNote.startsWith('Loading'));
    radio.disabled = !offered;
    const label = radio.closest('label');
    if (label !== null) label.hidden = (source === 'imported' || source === 'tuned' || source === 'record') && !offered;
  }
  if (rendered.modelKey !== (entry?.key ?? null) || rendered.views !== padViews()) {
    rendered.modelKey = entry?.key ?? null;
    rendered.views = padViews();
    predictDrawing();
    // When the page could first answer a drawing (ms since navigation), for the README's figure.
    if (network !== null && document.body.dataset.firstPredictionMs === undefined) document.body.dataset.firstPredictionMs = String(Math.round(performance.now()));
  }

  // Teach it my handwriting: its scores follow the model it starts from.
  const teachInputs = [baseModelEntry()?.key ?? null, baseModelEntry()?.evaluation ?? null, state.models.tuned?.evaluation ?? null];
  if (teachInputs.some((input, index) => input !== teachShown[index])) {
    teachShown = teachInputs;
    teach.refresh();
  }

  // Setup form.
  setText(view.presetDescription, playgroundPresets[form.preset.value]?.description ?? 'Your own setup.');
  setText(view.scheduleNote, state.invalid.schedule === undefined ? scheduleRateNote(state.setup.schedule) : '');
  view.scheduleNote.hidden = view.scheduleNote.textContent === '';
  for (const [field, node] of fieldErrors) {
    const control = field === 'distortions' ? form.distortions : (form[field as keyof typeof form] as HTMLInputElement);
    const error = state.invalid[field];
    if (error === undefined) control.removeAttribute('aria-invalid');
    else control.setAttribute('aria-invalid', 'true');
    setText(node, error ?? '');
    node.classList.toggle('error', error !== undefined);
    node.hidden = error === undefined;
  }
  const architectureError = state.invalid.layers ?? state.architectureError;
  setText(view.architecture, architectureError ?? `${parameterCount.toLocaleString('en')} parameters.`);
  view.architecture.classList.toggle('error', architectureError !== null);
  element('layers').toggleAttribute('aria-invalid', architectureError !== null);

  // Training panel: all of it about the run, none of it about the form.
  const buttonState = buttonStates(state);
  buttons.start.disabled = !buttonState.start;
  setText(buttons.start, buttonState.startLabel);
  buttons.pause.disabled = !buttonState.pause;
  buttons.step.disabled = !buttonState.step;
  buttons.reset.disabled = !buttonState.reset;
  document.body.dataset.runState = run?.state ?? 'loading';
  const status = shareMessage !== '' ? shareMessage : runStatusText(state);
  shareMessage = '';
  setText(view.trainStatus, status);
  view.trainStatus.classList.toggle('error', run?.state === 'failed');
  setText(view.setupNotice, setupNoticeText(state));
  view.setupNotice.hidden = view.setupNotice.textContent === '';
  setText(view.runWarning, run?.state === 'failed' ? '' : (run?.warning ?? ''));
  view.runWarning.hidden = view.runWarning.textContent === '';
  view.progress.value = progressFraction(run);
  if (state.backend !== null) {
    setText(view.stat.backend, state.backend.name);
    setText(view.stat.backendNote, state.backend.note === '' ? '' : `(${state.backend.note})`);
  }
  if (state.threads !== null) {
    setText(view.stat.threads, String(state.threads.count));
    view.stat.threads.title = state.threads.note;
  }
  if (run !== null && run.imagesPerSecond > 0) setText(view.stat.speed, Math.round(run.imagesPerSecond).toLocaleString('en'));
  // Totals for measurements: images trained and seconds spent on them since the network was built.
  view.stat.speed.dataset.trainImages = String(run?.trainImages ?? 0);
  view.stat.speed.dataset.trainSeconds = String(run?.trainSeconds ?? 0);
  setText(view.stat.loss, run?.meanLoss === null || run?.meanLoss === undefined ? '–' : run.meanLoss.toPrecision(4));
  // The rate the optimizer uses now (a schedule's moves included), once the run has trained.
  setText(view.stat.learningRate, run === null || run.position === 0 ? '–' : String(Number(run.learningRate.toPrecision(3))));
  setText(view.stat.accuracy, run?.testAccuracy === null || run?.testAccuracy === undefined ? '–' : formatPercent(run.testAccuracy));
  view.stat.accuracy.title = run?.testAccuracy === null || run === null ? '' : `the network trained here, on ${run.testCount} test images`;
  setText(view.stat.elapsed, run === null || run.elapsedSeconds === 0 ? '–' : `${Math.round(run.elapsedSeconds)} s`);
  setText(view.summary, state.summary);
  announcer.say([run?.state === 'failed' ? status : '', run?.warning ?? '', setupNoticeText(state)].filter((text) => text !== '').join(' ') || status);

  // Look inside: the model in use, its weights and its own confusion matrix.
  setText(view.inspectHint, entry === null ? 'No model yet.' : `Showing ${modelLabel(entry, run)}. Blue is negative, red positive.`);
  if (rendered.weightsKey !== (entry?.key ?? null)) {
    rendered.weightsKey = entry?.key ?? null;
    renderWeights(element('filters'), network, element('filters-hint'));
  }
  const evaluation = entry?.evaluation ?? null;
  const selected = state.selectedCell !== null && state.selectedCell.key === entry?.key ? state.selectedCell : null;
  if (rendered.confusion !== evaluation || rendered.selected !== selected) {
    rendered.confusion = evaluation;
    rendered.selected = selected;
    renderConfusion(view.confusion, evaluation?.confusion ?? null, selectCell, selected);
    if (selected === null || cellDigits?.key !== entry?.key) view.misclassified.replaceChildren();
  }
  const whose = entry === null ? '' : modelLabel(entry, run);
  setText(view.confusionHint, evaluation === null ? '' : `${whose.charAt(0).toUpperCase()}${whose.slice(1)}: ${formatPercent(evaluation.accuracy)} of ${evaluation.count} test images right.`);
  // The model in use is scored once the test images are there (its matrix on arrival).
  const runReady = run !== null && run.state !== 'loading';
  if (entry !== null && runReady && (evaluation === null || evaluation.count !== run.testCount) && !(entry.source === 'training' && run.state === 'running')) evaluateModel(entry);

  // Files.
  setText(view.filesMessage, state.filesMessage ?? '');
}

// ---- start ----
const startLink = isSetupHash(location.hash) ? location.hash : '';
applyLink(startLink);
if (!isSetupHash(location.hash) && location.hash.length > 1) requestAnimationFrame(() => goToSection(location.hash.slice(1)));
renderConfusion(element('confusion'), null, () => {});
bars.update(null);
void loadBundledModel();
configure();
