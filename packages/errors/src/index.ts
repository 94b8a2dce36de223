export { errorCodes, type McapiErrorCode } from './codes.js';
export { McapiError, isMcapiError, type McapiErrorOptions } from './mcapi-error.js';
export { maskPan, redact, redactText } from './redact.js';
