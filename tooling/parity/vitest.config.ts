import { nnkitVitestConfig } from '@nnkit/vitest-config';

// Every file loads TensorFlow.js (a few seconds each); one process running the files in turn
// loads it once, which halves the suite's time and keeps it to one core.
export default nnkitVitestConfig({ test: { isolate: false, fileParallelism: false } });
