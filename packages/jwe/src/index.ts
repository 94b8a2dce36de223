export type { ContentEncryption, KeyManagementAlgorithm } from './algorithms.js';
export type { JweHeader } from './header.js';
export type { KidOption } from './key-ids.js';
export { encrypt, encryptJson, type EncryptOptions } from './encrypt.js';
export { decrypt, decryptJson, defaultMaxTokenBytes, type DecryptOptions, type DecryptResult } from './decrypt.js';
export { keyIdsFor, type DecryptionKeys } from './decryption-keys.js';
