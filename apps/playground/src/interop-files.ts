// Models in other formats: download the current model as TensorFlow.js (model.json + weights.bin)
// or ONNX, and import a TensorFlow.js model.json with its shard(s) or an .onnx file.
import { fromOnnx, fromTfjs, joinShards, manifestEntries, toOnnx, toTfjs } from '@nnkit/interop';
import type { Sequential } from './nnkit.js';

/** What the Files panel hands this module: where to put its controls, and the current model. */
export interface InteropFilesOptions {
  readonly panel: HTMLElement;
  /** Shows a one-line message about the files (the page keeps it in its state). */
  readonly say: (text: string) => void;
  readonly current: () => Sequential | null;
  readonly use: (model: Sequential, label: string) => void;
}

function download(name: string, bytes: Uint8Array | string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/**
 * Reads picked files as one model: a single `.onnx`, or a TensorFlow.js `model.json` and the
 * shards its manifest names (picked together). Errors name the file and what is wrong.
 */
export async function importPickedFiles(files: readonly File[]): Promise<{ model: Sequential; label: string }> {
  const onnx = files.find((file) => /\.onnx$/i.test(file.name));
  if (onnx !== undefined) return { model: fromOnnx(new Uint8Array(await onnx.arrayBuffer()), onnx.name).model, label: onnx.name };
  const json = files.find((file) => /\.json$/i.test(file.name));
  if (json === undefined) throw new Error('pick a TensorFlow.js model.json together with its .bin shard(s), or an .onnx file');
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(await json.text());
  } catch {
    throw new Error(`${json.name}: not valid JSON`);
  }
  const { specs, paths } = manifestEntries(modelJson, json.name);
  const shards = await Promise.all(
    paths.map(async (path) => {
      const name = path.split('/').pop() ?? path;
      const shard = files.find((file) => file.name === name);
      if (shard === undefined) throw new Error(`${json.name}: weight shard ${name} was not picked (pick it together with ${json.name})`);
      return new Uint8Array(await shard.arrayBuffer());
    }),
  );
  const { modelTopology, userDefinedMetadata } = modelJson as { modelTopology: unknown; userDefinedMetadata?: unknown };
  return { model: fromTfjs({ modelTopology, weightSpecs: specs, weightData: joinShards(shards), userDefinedMetadata }, json.name).model, label: json.name };
}

/** Adds "Download for TensorFlow.js", "Download as ONNX" and "Import TensorFlow.js / ONNX…" to the Files panel. */
export function addInteropFiles(options: InteropFilesOptions): void {
  const row = document.createElement('div');
  row.className = 'button-row';
  const button = (id: string, text: string): HTMLButtonElement => {
    const element = document.createElement('button');
    element.type = 'button';
    element.id = id;
    element.textContent = text;
    row.append(element);
    return element;
  };
  const exportTfjs = button('export-tfjs', 'Download for TensorFlow.js');
  const exportOnnx = button('export-onnx', 'Download as ONNX');
  const importButton = button('import-other-button', 'Import TensorFlow.js / ONNX…');
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'import-other';
  input.multiple = true;
  input.accept = '.json,.bin,.onnx';
  input.hidden = true;
  input.setAttribute('aria-label', 'TensorFlow.js model.json with its shard, or an ONNX file');
  row.append(input);
  options.panel.insertBefore(row, options.panel.querySelector('.message'));

  const withModel = (action: (model: Sequential) => string) => () => {
    const model = options.current();
    try {
      options.say(model === null ? 'There is no model to export yet.' : action(model));
    } catch (error) {
      options.say(`Could not export: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  exportTfjs.addEventListener(
    'click',
    withModel((model) => {
      const { modelJson, weightData } = toTfjs(model, { source: 'the current model' });
      download('model.json', `${JSON.stringify(modelJson, null, 2)}\n`, 'application/json');
      download(modelJson.weightsManifest[0].paths[0], weightData, 'application/octet-stream');
      return 'Downloaded model.json and weights.bin: load them with tf.loadLayersModel (inputs NHWC [N, 28, 28, 1], pixel / 255; outputs probabilities).';
    }),
  );
  exportOnnx.addEventListener(
    'click',
    withModel((model) => {
      download('nnkit-model.onnx', toOnnx(model, { source: 'the current model' }), 'application/octet-stream');
      return 'Downloaded nnkit-model.onnx (opset 13): input NHWC [N, 28, 28, 1], pixel / 255; output probabilities.';
    }),
  );
  importButton.addEventListener('click', () => input.click());
  input.addEventListener('change', async () => {
    try {
      const { model, label } = await importPickedFiles([...(input.files ?? [])]);
      if (model.inputShape.join('×') !== '28×28×1') throw new Error(`${label}: inputShape: expected [28, 28, 1] (MNIST images), got [${model.inputShape.join(', ')}]`);
      options.use(model, label);
      options.say(`Loaded ${label}.`);
    } catch (error) {
      options.say(`Could not load the model: ${error instanceof Error ? error.message : String(error)}`);
    }
    input.value = '';
  });
}
