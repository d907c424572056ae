/** A mistake in how the command was called (unknown option, bad value): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** A failure the user can fix (bad file, diverged training): exit code 1, one line, no stack. */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly exitCode = 1;
}

/** The one line printed for any error, and the exit code that goes with it. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError || error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof Error) {
    // Errors from the packages (DatasetError, ModelFormatError, ...) already carry one clear line.
    const firstLine = error.message.split('\n')[0] ?? String(error);
    return { message: firstLine, exitCode: 1 };
  }
  return { message: String(error), exitCode: 1 };
}
