// Public API of @mcapi/cli: the CLI runner and the pieces worth reusing.
export { runCli, type RunCliOptions } from './cli/run-cli.js';
export { exitCodes } from './cli/exit-codes.js';
export {
  alignBaseStrings,
  compareBaseStrings,
  explainSignatureFailure,
  type BaseStringDifference,
  type SignatureFailure,
  type SignatureFailureCause,
} from './diagnose/base-string-diff.js';
