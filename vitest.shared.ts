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
    // A safety net for hangs, not a speed check: on a loaded two-core machine a pure-JS PKCS#12
    // (RC2, PBKDF) or an RSA key generation can take tens of seconds. Speed is asserted in
    // `pnpm bench`, never by test timeouts.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
