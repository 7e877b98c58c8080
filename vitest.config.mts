import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Once per run: a private TMPDIR (removed afterwards), the CIFAR-10 archive
    // (real subset or synthetic), no network, the tslab kernel registered.
    globalSetup: ['test/setup/global.ts'],
    // TF.js work is CPU-bound; this machine has 2 cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
