/**
 * The worker script as one classic script (`serveTrainWorker` and everything it imports,
 * defining the global `nnkitTrainWorker`). The package build replaces this module with the
 * bundled text, so the script travels inside whatever bundles `@nnkit/train/node` (the CLI's
 * single file included); when running from sources it is undefined and `nodeWorkers` bundles
 * the sources on first use.
 */
export const embeddedWorkerSource: string | undefined = undefined;
