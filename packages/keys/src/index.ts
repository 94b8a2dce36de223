export {
  readSource,
  readSourceSync,
  warnIfKeyFileExposedSync,
  type KeySource,
  type SourceBytes,
  type WarningHandler,
} from './key-source.js';
export { isPkcs12, loadPrivateKey, parsePrivateKey, type LoadPrivateKeyOptions } from './load-private-key.js';
export { loadCertificate, loadCertificateChain, parseCertificates } from './load-certificate.js';
export { loadPkcs12, parsePkcs12, type LoadPkcs12Options, type Pkcs12Contents } from './pkcs12.js';
export {
  certificateFingerprint,
  type FingerprintEncoding,
  jwkThumbprint,
  publicKeyFingerprint,
  toPublicKey,
  type KeyOrCertificate,
} from './fingerprints.js';
export {
  assertCertificateCurrent,
  assertKeyMatchesCertificate,
  checkCertificateValidity,
  type CertificateValidity,
  type CheckValidityOptions,
} from './certificate-checks.js';
export {
  keyEnvironments,
  keyPurposes,
  keyStatuses,
  type KeyEnvironment,
  type KeyPurpose,
  type KeyringEntry,
  type KeyringManifest,
  type KeyStatus,
} from './keyring/manifest.js';
export { openKeyring, loadEntry, type ExternalKeyResolver, type Keyring, type LoadedKey, type OpenKeyringOptions } from './keyring/open-keyring.js';
export { initKeyring, readKeyringManifest } from './keyring/store.js';
export { updateKeyring, type KeyringChange, type KeyringFiles, type UpdateKeyringOptions } from './keyring/update-keyring.js';
export { writeFileAtomic, type WriteFileAtomicOptions } from './keyring/atomic-file.js';
export { withFileLock, type FileLockOptions } from './keyring/lock.js';
export { certificateFacts, encodeCertificateChainPem } from './keyring/keyring-paths.js';
export {
  isExternalPrivateKey,
  type ExternalDecryptAlgorithm,
  type ExternalPrivateKey,
  type ExternalSignAlgorithm,
} from './external-private-key.js';
