// How many threads training may use in this browser.

/**
 * The most threads the page offers: past about eight, a mini-batch of 32–64 images splits into
 * shares too small to pay for the per-step synchronisation, and each replica holds a copy of
 * the network.
 */
export const maxThreads = 8;

/** The default thread count: one per logical processor the browser reports, at most `maxThreads`. */
export function defaultThreads(hardwareConcurrency: number | undefined): number {
  const cores = Number.isInteger(hardwareConcurrency) && (hardwareConcurrency as number) > 0 ? (hardwareConcurrency as number) : 1;
  return Math.min(maxThreads, cores);
}
