import { defineProject } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "@mcapi/source" condition, so
// tests run against src/ without building the packages they depend on first.
const conditions = ['@mcapi/source', 'import', 'node', 'default'];

export const sharedProject = defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@mcapi/source'] } },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
