import type { Command } from 'commander';
import { describeNormalization, InteropError } from '@nnkit/interop';
import { importModelFile } from '@nnkit/interop/node';
import { saveModel } from '@nnkit/layers';
import { UserError } from '../errors.js';
import { createOutput } from '../output.js';
import { assertReadableFile, assertWritableFile } from '../paths.js';
import { writeOutputFile } from '../write-file.js';

interface ImportOptions {
  out: string;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('read a model written elsewhere (TensorFlow.js layers-model model.json with its shards beside it, or an .onnx file) into an nnkit model file')
    .argument('<path>', 'a TensorFlow.js model.json or an .onnx file')
    .requiredOption('--out <file>', 'where to write the nnkit model file (required)')
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action((path: string, options: ImportOptions) => {
      runImport(path, options);
    });
}

function runImport(path: string, options: ImportOptions): void {
  const output = createOutput(options);
  assertReadableFile(path, 'model');
  assertWritableFile(options.out, '--out');
  let imported: ReturnType<typeof importModelFile>;
  try {
    imported = importModelFile(path);
  } catch (error) {
    if (error instanceof InteropError) throw new UserError(error.message);
    throw error;
  }
  const { model, meta } = imported;
  const text = saveModel(model, { meta });
  writeOutputFile(options.out, text);
  const normalization = typeof meta.normalization === 'string' ? meta.normalization : undefined;
  output.line(`${path} (${String(meta.importedFrom)}) → ${options.out}: ${model.layers.length} layers, input [${model.inputShape.join(', ')}], ${model.outputShape[0]} outputs, loss ${model.loss.config.kind}`);
  output.line(
    normalization === undefined
      ? '  normalization: the file does not say; nnkit assumes x = pixel / 255 (set meta.normalization in the model file if it differs)'
      : `  normalization: ${normalization} (${describeNormalization(normalization)})`,
  );
  output.result({ command: 'import', from: path, out: options.out, importedFrom: meta.importedFrom, layers: model.definition.layers.map((layer) => layer.kind), loss: model.loss.config.kind, normalization: normalization ?? null });
}
