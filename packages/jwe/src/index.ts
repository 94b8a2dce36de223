export type { ContentEncryption, KeyManagementAlgorithm } from './algorithms.js';
export type { JweHeader } from './header.js';
export type { KidOption } from './key-ids.js';
export { encrypt, encryptJson, type EncryptOptions } from './encrypt.js';
export {
  decrypt,
  decryptJson,
  defaultMaxTokenBytes,
  maxZipDecompressedBytes,
  type DecryptOptions,
  type DecryptResult,
} from './decrypt.js';
export { keyIdsFor, type DecryptionKey, type DecryptionKeys } from './decryption-keys.js';
export {
  deleteAtLocation,
  formatJsonPath,
  getAtLocation,
  parseJsonPath,
  queryJsonPath,
  setAtLocation,
  type JsonLocation,
  type JsonMatch,
  type JsonPath,
  type JsonPathSegment,
} from './json-path.js';
export {
  createPayloadCipher,
  type DecryptedResponse,
  type EncryptedRequest,
  type PayloadCipher,
  type PayloadCipherOptions,
  type PayloadMapping,
  type PayloadMessage,
  type PayloadRule,
} from './payload-cipher.js';
export type { EndpointMatcher } from './endpoint-rules.js';
export type { FieldLevelCodecOptions, FieldLevelNames, HeaderRecord, JweCodecOptions } from './payload-codecs.js';
export { payloadPresets } from './presets.js';
export {
  fromMastercardConfig,
  type FromMastercardConfigOptions,
  type MastercardEncryptionConfig,
  type MastercardMapping,
  type MastercardPathConfig,
} from './mastercard-config.js';
export {
  decryptField,
  encryptField,
  type FieldLevelDecryptOptions,
  type FieldLevelEncoding,
  type FieldLevelEncrypted,
  type FieldLevelEncryptOptions,
} from './field-level.js';
export {
  defaultMaxJsonDepth,
  parseJsonLossless,
  type LosslessJson,
  type ParseJsonLosslessOptions,
} from './lossless-json-parse.js';
export { isJsonNumber, jsonNumber, numberText, type JsonNumber } from './json-number.js';
export { stringifyJsonLossless } from './lossless-json-stringify.js';
export { indentJsonText } from './json-text-indent.js';
