import { v8Flags } from './startup.js';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { describeError, UsageError } from './errors.js';
import { escapeControl } from './output.js';

v8Flags();

// `nnkit eval model.json | head`: the reader went away, which is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage mistakes with 2.
      if (error.exitCode === 0) return 0;
      const message = error.message.replace(/^error: /, '');
      process.stderr.write(`nnkit: ${escapeControl(message)} (see --help)\n`);
      return 2;
    }
    const { message, exitCode } = describeError(error);
    process.stderr.write(`nnkit: ${escapeControl(error instanceof UsageError ? `${message} (see --help)` : message)}\n`);
    if (process.env.NNKIT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return exitCode;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`nnkit: ${escapeControl(describeError(error).message)}\n`);
    process.exitCode = 1;
  },
);
