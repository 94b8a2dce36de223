// Public API of @mcapi/sandbox.
export { startSandbox, type Sandbox, type SandboxDashboardApi } from './start-sandbox.js';
export type { SandboxOptions } from './sandbox-options.js';
export {
  DEFAULT_PROJECT,
  type IssuedKey,
  type RegisterSigningKeyOptions,
  type SandboxDashboard,
  type SignCsrOptions,
} from './dashboard/dashboard.js';
export type { DashboardKeyPurpose } from './dashboard/dashboard-state.js';
export type { FaultRule, ListenerName } from './gateway/faults.js';
export type { RequestLogEntry } from './gateway/request-log.js';
export { parseJsonLossless } from './http/lossless-json.js';
