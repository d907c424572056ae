import { Command } from 'commander';
import { registerTrain } from './commands/train.js';
import { registerEval } from './commands/eval.js';
import { registerReport } from './commands/report.js';
import { registerSanity } from './commands/sanity.js';
import { registerPredict } from './commands/predict.js';
import { registerSubmit } from './commands/submit.js';
import { registerInspect } from './commands/inspect.js';
import { registerConvert } from './commands/convert.js';
import { registerAugment } from './commands/augment.js';
import { registerBench } from './commands/bench.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';

declare const __NNKIT_VERSION__: string | undefined;

/** The `nnkit` command tree. Errors surface as exceptions; cli.ts turns them into one line. */
export function buildProgram(): Command {
  const program = new Command('nnkit')
    .description('Train, evaluate and ship handwritten-digit classifiers (MNIST) — nnkit')
    .version(typeof __NNKIT_VERSION__ === 'string' ? __NNKIT_VERSION__ : '0.0.0-dev', '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .helpCommand(true);
  registerTrain(program);
  registerEval(program);
  registerReport(program);
  registerSanity(program);
  registerPredict(program);
  registerSubmit(program);
  registerInspect(program);
  registerConvert(program);
  registerAugment(program);
  registerBench(program);
  registerExport(program);
  registerImport(program);
  return program;
}
