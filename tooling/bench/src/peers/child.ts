// A child process's whole job: load MNIST, run one library on one workload, report.
import { loadBenchData } from './data.js';
import { peakRssMegabytes } from './measure.js';
import { runNnkit } from './nnkit-runner.js';
import type { ChildReport, ChildSpec } from './protocol.js';
import type { Runner } from './runner.js';
import { runTfjs } from './tfjs-runner.js';
import { workloads } from './workloads.js';

/** Runs `spec` in this process and returns what the child prints. */
export async function runChild(spec: ChildSpec): Promise<ChildReport> {
  const workload = workloads[spec.workload];
  if (workload === undefined) throw new Error(`child: unknown workload ${JSON.stringify(spec.workload)}`);
  const data = loadBenchData();
  const dataRssMegabytes = process.memoryUsage().rss / 2 ** 20;
  // The TensorFlow.js runner imports TensorFlow.js only when called, so an nnkit child never
  // loads it (nor its memory).
  const runner: Runner = spec.runner === 'nnkit' ? runNnkit : runTfjs;
  const outcome = await runner(spec, workload, data);
  return { ...outcome, peakRssMegabytes: peakRssMegabytes(), dataRssMegabytes };
}
