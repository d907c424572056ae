import { nnkitVitestConfig } from '@nnkit/vitest-config';

// One small trained model is shared by the command tests (see test/global-setup.ts).
export default nnkitVitestConfig({ test: { globalSetup: ['test/global-setup.ts'] } });
