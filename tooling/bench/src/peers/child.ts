// A child process's whole job: load MNIST, run one library on one workload, report.
import { loadBenchData } from './data.js';
import { peakRssMegabytes } from './measure.js';
import type { ChildReport, ChildSpec } from './protocol.js';
import type { Runner } from './runner.js';
import { workloads } from './workloads.js';

/** Runs `spec` in this process and returns what the child prints. */
export async function runChild(spec: ChildSpec): Promise<ChildReport> {
  const workload = workloads[spec.workload];
  if (workload === undefined) throw new Error(`child: unknown workload ${JSON.stringify(spec.workload)}`);
  const data = loadBenchData();
  const dataRssMegabytes = process.memoryUsage().rss / 2 ** 20;
  // Imported on demand so an nnkit child never loads TensorFlow.js (and its memory).
  const runner: Runner = spec.runner === 'nnkit' ? (await import('./nnkit-runner.js')).runNnkit : (await import('./tfjs-runner.js')).runTfjs;
  const outcome = await runner(spec, workload, data);
  return { ...outcome, peakRssMegabytes: peakRssMegabytes(), dataRssMegabytes };
}
