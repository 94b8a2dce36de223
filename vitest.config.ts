import { defineConfig } from 'vitest/config';

// `pnpm vitest` at the root runs every package's tests as one multi-project run; `pnpm test`
// runs them per package through turbo (build, typecheck, lint, publint, test).
export default defineConfig({
  test: {
    projects: ['packages/*'],
  },
});
