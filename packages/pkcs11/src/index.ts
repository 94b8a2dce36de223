export { openPkcs11, type GenerateTokenKeyOptions, type OpenPkcs11Options, type Pkcs11KeySelector, type Pkcs11Provider } from './open-pkcs11.js';
export type { Pkcs11Key } from './token-key.js';
export { parsePkcs11Uri, pkcs11Uri } from './pkcs11-uri.js';
export { debianPkcs11Engine, tlsEngineKeyOptions, type TlsEngineKeyOptions } from './tls-engine-key.js';
