import type { ViteUserConfig } from 'vitest/config';

/** The shared vitest preset: workspace packages resolve to their TypeScript sources. */
export declare function nnkitVitestConfig(extra?: ViteUserConfig): ViteUserConfig;
