export { errorCodes, type McapiErrorCode } from './codes.js';
export { type ExitCode, exitCodeOf, exitCodes } from './exit-codes.js';
export { McapiError, isMcapiError, type McapiErrorOptions } from './mcapi-error.js';
export { isPanLike, maskPan, maskPansInText } from './pan.js';
export { redactCause } from './redact-cause.js';
export { errorToJSON, isSecretKey, redact, redactText, safeErrorMessage } from './redact.js';
