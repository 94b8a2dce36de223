import { mergeConfig } from 'vitest/config';
import { sharedProject } from '../../vitest.shared.js';

// Packing, a real npm install and two tsc runs take far longer than a unit test (about a minute
// on an idle 2-core machine; the limits leave room for a machine shared with other builds).
export default mergeConfig(sharedProject, {
  test: { name: '@mcapi/pack-test', testTimeout: 300_000, hookTimeout: 300_000 },
});
