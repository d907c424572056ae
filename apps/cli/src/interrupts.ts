/** What `fit` reads to stop early, and how to stop listening. */
export interface Interrupts {
  readonly signal: { aborted: boolean };
  /** Stops listening for the signals (after the run). */
  dispose(): void;
}

/**
 * Listens for Ctrl-C (SIGINT) and SIGTERM during a run: the first sets `signal.aborted` (so
 * `fit` stops after the batch and saves a checkpoint) and calls `onFirst`; a second exits at
 * once with code 130.
 */
export function watchInterrupts(onFirst: () => void): Interrupts {
  const signal = { aborted: false };
  const onInterrupt = (): void => {
    if (signal.aborted) process.exit(130); // a second Ctrl-C: stop now
    signal.aborted = true;
    onFirst();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  return {
    signal,
    dispose() {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    },
  };
}
