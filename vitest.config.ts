import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests share one MariaDB database and one Redis: files run one at a time.
    fileParallelism: false,
    pool: 'forks',
  },
});
