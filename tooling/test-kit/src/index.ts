export { everyView } from './error-views.js';
export { type CliRun, builtBinary, cleanCliEnv, cliRun } from './cli-run.js';
export { suiteTempDir } from './temp-dir.js';
export { crossBorderPaymentRequest, crossBorderQuoteRequest } from './cross-border-requests.js';
export { withThreadPoolHeld } from './thread-pool-hold.js';
