import { mergeConfig } from 'vitest/config';
import { sharedProject } from '../../vitest.shared.js';

// Every test spawns the real binary (a fresh Node process) against a sandbox whose start and the
// keyring provisioning generate six RSA keys: on a loaded shared machine that takes far longer
// than the shared 30 s. The limits guard against hangs, not slowness.
export default mergeConfig(sharedProject, { test: { name: '@mcapi/cli', testTimeout: 120_000, hookTimeout: 180_000 } });
