import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Integration tests share one redis-server; each file uses its own key prefix.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
