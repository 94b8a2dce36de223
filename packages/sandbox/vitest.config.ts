import { mergeConfig } from 'vitest/config';
import { sharedProject } from '../../vitest.shared.js';

// --expose-gc lets the load test measure memory after a full collection. Files run one after
// another so the 20 s load test does not share the CPU with the start-up timing test.
export default mergeConfig(sharedProject, {
  test: { name: '@mcapi/sandbox', execArgv: ['--expose-gc'], fileParallelism: false },
});
