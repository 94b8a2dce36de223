import { mergeConfig } from 'vitest/config';
import { sharedProject } from '../../vitest.shared.js';

// Packing, a real npm install and two tsc runs take far longer than a unit test.
export default mergeConfig(sharedProject, {
  test: { name: '@mcapi/pack-test', testTimeout: 180_000, hookTimeout: 180_000 },
});
