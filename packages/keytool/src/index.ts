// Public API of @mcapi/keytool: the X.509 building blocks (CA, certificates, CSRs, RSA keys: the
// sandbox, tests and benchmarks use them), one function per CLI command, and the CLI runner.
// Helpers the commands share (subject formatting, PKCS#12 encoding, keyring location) stay inside.
export { createCertificateAuthority, type CertificateAndKey, type CreateCertificateAuthorityOptions } from './x509/certificate-authority.js';
export { createCsr, type CreateCsrOptions } from './x509/csr.js';
export type { DistinguishedName } from './x509/distinguished-name.js';
export { generateRsaKeyPair, rsaKeySizes, type RsaKeySize } from './x509/generate-key-pair.js';
export { issueCertificate, type CertificateUsage, type IssueCertificateOptions } from './x509/issue-certificate.js';
export type { KeyringOptions } from './keyring/keyring-options.js';
export type { KeySummary } from './keyring/key-summary.js';
export { initKeyringDirectory, type InitOptions, type InitResult } from './commands/init.js';
export { createKeyRequest, type CsrOptions, type CsrResult } from './commands/csr.js';
export { importCertificate, type ImportCertOptions, type ImportCertResult } from './commands/import-cert.js';
export { importPkcs12, type ImportP12Options } from './commands/import-p12.js';
export { activateKey, type ActivateOptions, type ActivateResult } from './commands/activate.js';
export { rotateKey, type RotateOptions, type RotateResult } from './commands/rotate.js';
export { retireKey, type RetireOptions, type RetireResult } from './commands/retire.js';
export { listKeys, type ListOptions } from './commands/list.js';
export { inspectKey, type InspectOptions, type InspectResult } from './commands/inspect.js';
export { fingerprint, type FingerprintOptions, type FingerprintResult } from './commands/fingerprint.js';
export { exportPkcs12, type ExportP12Options, type ExportP12Result } from './commands/export-p12.js';
export { exportJwk, exportJwks, type ExportJwkOptions, type ExportJwksOptions, type PublicJwk } from './commands/export-jwk.js';
export { checkKeyring, type CheckOptions, type CheckResult, type CheckedKey } from './commands/check.js';
export { runCli, type RunCliOptions } from './cli/run-cli.js';
export { exitCodes } from './cli/exit-codes.js';
