import { nnkitVitestConfig } from '@nnkit/vitest-config';

export default nnkitVitestConfig();
