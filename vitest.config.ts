import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests, and end-to-end suites that start the federation as real
// processes on free ports (one file at a time: each starts six processes on a 2-core box).
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
