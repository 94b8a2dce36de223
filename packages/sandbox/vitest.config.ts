import { mergeConfig } from 'vitest/config';
import { sharedProject } from '../../vitest.shared.js';

// --expose-gc lets the load test measure memory after a full collection.
export default mergeConfig(sharedProject, { test: { name: '@mcapi/sandbox', execArgv: ['--expose-gc'] } });
