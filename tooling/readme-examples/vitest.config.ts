import { nnkitVitestConfig } from '@nnkit/vitest-config';

export default nnkitVitestConfig({ test: { include: ['examples.test.ts'] } });
